import { lstat, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { materializeFixture } from '../helpers/fixtures.js';

let dir: string;
let outside: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await materializeFixture('lockfiles/npm-v3-basic'));
  outside = await mkdtemp(join(tmpdir(), 'aca-outside-'));
});
afterAll(async () => {
  await cleanup();
  await rm(outside, { recursive: true, force: true });
});

describe('report files', () => {
  it('are never written through a symlink the audited repository committed, nor a dangling one created', async () => {
    const victim = join(outside, 'victim.sh');
    await writeFile(victim, 'echo original\n');
    const link = join(dir, 'ai-chain-audit.json');
    await symlink(victim, link);
    const dangling = join(dir, 'dangling.sarif');
    await symlink(join(outside, 'created-by-the-audit'), dangling);
    for (const spec of [`markdown=${link}`, `sarif=${dangling}`]) {
      const run = await cli([dir, '--offline', '-o', spec]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^ai-chain-audit: Refusing to write .* it is a symbolic link; remove it or choose another file\.\n$/);
    }
    expect(await readFile(victim, 'utf8')).toBe('echo original\n');
    await expect(lstat(join(outside, 'created-by-the-audit'))).rejects.toThrow();
    expect(await readlink(link)).toBe(victim);
  });

  it('replace a regular file in place', async () => {
    const file = join(outside, 'report.json');
    await writeFile(file, 'old');
    const run = await cli([dir, '--offline', '-o', `json=${file}`, '--fail-on', 'none']);
    expect([0, 2]).toContain(run.code);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveProperty('schemaVersion');
  });
});
