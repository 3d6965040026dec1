import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInventory } from '../../src/inventory/index.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aca-locate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withLockfiles(manifest: Record<string, unknown>, lockfiles: Array<[string, string]>): Promise<void> {
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'several', version: '1.0.0', ...manifest }, null, 2));
  for (const [fixture, file] of lockfiles) await cp(join(FIXTURES, 'lockfiles', fixture, file), join(dir, file));
}

describe('choosing among several lockfiles', () => {
  it('without packageManager: the fixed order, and a notice naming the others', async () => {
    await withLockfiles({}, [['npm-v3-basic', 'package-lock.json'], ['pnpm-v9', 'pnpm-lock.yaml'], ['yarn-v1', 'yarn.lock']]);
    const inventory = await readInventory(dir);
    expect(inventory.lockfile?.file).toBe('package-lock.json');
    expect(inventory.notices).toEqual([expect.stringMatching(/^Audited package-lock\.json \(first in the order .*\); pnpm-lock\.yaml, yarn\.lock are also present and were not audited/)]);
  });

  it.each([
    ['pnpm@10.12.1', 'pnpm-lock.yaml', 'pnpm'],
    ['yarn@4.9.2', 'yarn.lock', 'yarn-berry'],
    ['bun@1.2.19', 'bun.lock', 'bun'],
  ])('packageManager %s picks %s', async (packageManager, file, format) => {
    await withLockfiles({ packageManager }, [['npm-v3-basic', 'package-lock.json'], ['pnpm-v9', 'pnpm-lock.yaml'], ['yarn-berry', 'yarn.lock'], ['bun', 'bun.lock']]);
    const inventory = await readInventory(dir);
    expect(inventory.lockfile).toMatchObject({ file, format });
    expect(inventory.notices[0]).toMatch(new RegExp(`^Audited ${file.replace('.', '\\.')} \\(package\\.json names ${packageManager} as its packageManager\\)`));
  });

  it('packageManager naming a manager whose lockfile is absent is said', async () => {
    await withLockfiles({ packageManager: 'pnpm@9.0.0' }, [['yarn-v1', 'yarn.lock']]);
    const inventory = await readInventory(dir);
    expect(inventory.lockfile?.format).toBe('yarn-classic');
    expect(inventory.notices).toEqual(['Audited yarn.lock; package.json names pnpm@9.0.0 as its packageManager, but there is no pnpm lockfile.']);
  });

  it('bun.lock wins over bun.lockb', async () => {
    await withLockfiles({}, [['bun', 'bun.lock'], ['bun-binary', 'bun.lockb']]);
    const inventory = await readInventory(dir);
    expect(inventory.lockfile?.file).toBe('bun.lock');
    expect(inventory.notices[0]).toMatch(/bun\.lockb is also present and was not audited/);
  });

  it('a lone bun.lockb (written by a real bun 1.1) stops the audit with the migration command', async () => {
    await withLockfiles({}, [['bun-binary', 'bun.lockb']]);
    const run = await cli([dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bun\.lockb is bun's binary lockfile.*bun install --save-text-lockfile --frozen-lockfile --lockfile-only/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('a malformed lockfile of each format ends in exit 2 with one line naming the file', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['pnpm-lock.yaml', "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: [\n", /pnpm-lock\.yaml: is not valid YAML/],
    ['pnpm-lock.yaml', "lockfileVersion: '9.0'\npackages:\n  ms@2.1.3: 42\n", /pnpm-lock\.yaml: entry "ms@2\.1\.3" in "packages" must be a mapping/],
    ['pnpm-lock.yaml', '', /pnpm-lock\.yaml: is empty/],
    ['yarn.lock', '# yarn lockfile v1\n\nms@^2.1.3:\n  version "2.1.3\n  resolved [[[\n', /yarn\.lock: is not a valid yarn 1 lockfile/],
    ['yarn.lock', '# yarn lockfile v1\n\nms@^2.1.3:\n  resolved "x"\n', /yarn\.lock: entry "ms@\^2\.1\.3" has no version/],
    ['yarn.lock', '# yarn lockfile v1\n<<<<<<< HEAD\nms@^2.1.3:\n  version "2.1.3"\n=======\n>>>>>>> b\n', /yarn\.lock: has unresolved merge conflict markers/],
    ['yarn.lock', '__metadata:\n  version: 8\n\n"ms@npm:^2.1.3":\n  version: 2.1.3\n  resolution: [oops\n', /yarn\.lock: is not a valid yarn lockfile/],
    ['yarn.lock', '__metadata:\n  version: 8\n\n"ms@npm:^2.1.3":\n  version: 2.1.3\n', /yarn\.lock: entry "ms@npm:\^2\.1\.3" has no name@reference resolution/],
    ['bun.lock', '{ "lockfileVersion": 1, "packages": { "ms": ["ms@2.1.3", "", {}, "sha512-x"] ', /bun\.lock: is not valid JSONC/],
    ['bun.lock', '{ "lockfileVersion": 1, "packages": { "ms": [123, "", {}] } }', /bun\.lock: package "ms" must be an array starting with a "name@version" string/],
  ];

  it.each(cases)('%s: %s', async (file, text, message) => {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'broken', version: '1.0.0', dependencies: { ms: '^2.1.3' } }));
    await writeFile(join(dir, file), text);
    const run = await cli([dir]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('the fixture lockfiles themselves are not malformed (control)', async () => {
    const text = await readFile(join(FIXTURES, 'lockfiles', 'bun', 'bun.lock'), 'utf8');
    expect(text).toMatch(/,\n\s*\}/);
  });
});
