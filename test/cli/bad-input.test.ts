import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aca-bad-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MANIFEST = JSON.stringify({ name: 'bad', version: '1.0.0', dependencies: { ms: '2.1.3' } });
const GOOD_LOCK = JSON.stringify({
  name: 'bad',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'bad', version: '1.0.0', dependencies: { ms: '2.1.3' } },
    'node_modules/ms': { version: '2.1.3', integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==' },
  },
}, null, 2);

async function project(files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

function expectCleanFailure(run: { code: number; stdout: string; stderr: string }, mentions: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(mentions);
  expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input ends in exit 2 with a short message and no stack trace', () => {
  it('a directory that does not exist', async () => {
    expectCleanFailure(await cli([join(dir, 'nope')]), /does not exist/);
  });

  it('a path that is a file', async () => {
    await project({ 'file.txt': 'x' });
    expectCleanFailure(await cli([join(dir, 'file.txt')]), /not a directory/);
  });

  it('no package.json', async () => {
    expectCleanFailure(await cli([dir]), /No package\.json in \S+\.$/m);
  });

  it('no package.json at a repository root whose projects sit below it (OpenRouterTeam/openrouter-examples) names them', async () => {
    await project({
      'README.md': '# examples\n',
      'typescript/package.json': MANIFEST,
      'typescript/fetch/package.json': MANIFEST,
      'typescript/node_modules/dep/package.json': MANIFEST,
      'python/app/main.py': '',
    });
    const run = await cli([dir]);
    expectCleanFailure(run, /No package\.json in \S+; projects below it: typescript\/, typescript\/fetch\/ — audit one of those folders\./);
  });

  it('a malformed package.json', async () => {
    await project({ 'package.json': '{"name": "bad",' });
    expectCleanFailure(await cli([dir]), /package\.json is not valid JSON/);
  });

  it('a package.json with a non-object dependencies field', async () => {
    await project({ 'package.json': '{"name":"bad","dependencies":["ms"]}' });
    expectCleanFailure(await cli([dir]), /"dependencies" must be an object/);
  });

  it.each([
    ['truncated', GOOD_LOCK.slice(0, GOOD_LOCK.length / 2), /package-lock\.json is not valid JSON/],
    ['empty', '', /package-lock\.json is empty/],
    ['binary', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0xff, 0x00]), /binary|not valid JSON/],
    ['an array', '[]', /must hold a JSON object/],
    ['of an unknown version', JSON.stringify({ lockfileVersion: 9, packages: {} }), /lockfileVersion 9/],
    ['without packages', JSON.stringify({ lockfileVersion: 3 }), /no "packages" section/],
    ['with a non-object entry', JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/ms': 'x' } }), /entry "node_modules\/ms"/],
  ])('a package-lock.json that is %s', async (_label, lock, message) => {
    await project({ 'package.json': MANIFEST, 'package-lock.json': lock });
    expectCleanFailure(await cli([dir]), message);
  });

  it('a binary bun.lockb gets told to write the text lockfile', async () => {
    await project({ 'package.json': MANIFEST, 'bun.lockb': Buffer.from([0x23, 0x21, 0x2f, 0x00, 0x01]) });
    expectCleanFailure(await cli([dir]), /bun\.lockb.*save-text-lockfile/);
  });

  it('an unknown option', async () => {
    const run = await cli(['--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option/);
  });

  it('a bad --fail-on value', async () => {
    const run = await cli(['--fail-on', 'severe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/critical, high, medium, low, info, none/);
  });

  it('shows the stack only with --debug', async () => {
    await project({ 'package.json': '{' });
    const run = await cli([dir, '--debug']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('a well-formed project passes the same path (control)', async () => {
    await project({ 'package.json': MANIFEST, 'package-lock.json': GOOD_LOCK });
    const run = await cli([dir, '--offline', '--fail-on', 'none']);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.stdout).toMatch(/1 package\b/);
  });
});
