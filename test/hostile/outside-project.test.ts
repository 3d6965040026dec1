import { mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { materializeFixture } from '../helpers/fixtures.js';

const SECRET = '//registry.example.test/:_authToken=npm_SECRETSECRETSECRET';

let dir: string;
let outside: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await materializeFixture('lockfiles/npm-v3-basic'));
  outside = await mkdtemp(join(tmpdir(), 'aca-outside-'));
  // what the link points at: not JSON, so a parse error would quote it
  await writeFile(join(outside, 'npmrc'), `${SECRET}\n`);
});
afterAll(async () => {
  await cleanup();
  await rm(outside, { recursive: true, force: true });
});

describe('files outside the project', () => {
  it.each(['package-lock.json', 'package.json'])('a %s linking outside the project is refused by name, its content never shown', async (name) => {
    const file = join(dir, name);
    const kept = join(outside, `${name}.orig`);
    await import('node:fs/promises').then((fs) => fs.rename(file, kept));
    await symlink(join(outside, 'npmrc'), file);
    try {
      const run = await cli([dir, '--offline', '--json']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`ai-chain-audit: ${name} resolves outside the project (a symbolic link); it was not read.\n`);
      expect(`${run.stdout}${run.stderr}`).not.toContain('SECRET');
    } finally {
      await unlink(file);
      await import('node:fs/promises').then((fs) => fs.rename(kept, file));
    }
  });
});
