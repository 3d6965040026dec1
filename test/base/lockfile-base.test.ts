import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockfileNameOf, materializeLockfileBase } from '../../src/base/lockfile-base.js';
import { readInventory } from '../../src/inventory/index.js';
import { FIXTURES, materializeFixture } from '../helpers/fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aca-base-lockfile-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const LOCKFILES: Array<[string, string]> = [
  ['npm-v3-basic', 'package-lock.json'],
  ['npm-shrinkwrap', 'npm-shrinkwrap.json'],
  ['npm-v1', 'package-lock.json'],
  ['pnpm-v9', 'pnpm-lock.yaml'],
  ['pnpm-v5', 'pnpm-lock.yaml'],
  ['yarn-v1', 'yarn.lock'],
  ['yarn-berry', 'yarn.lock'],
  ['bun', 'bun.lock'],
  ['bun-binary', 'bun.lockb'],
];

describe('--base-lockfile: which lockfile a file is', () => {
  it.each(LOCKFILES)('%s is read as %s under any name', async (name, file) => {
    const content = await readFile(join(FIXTURES, 'lockfiles', name, file));
    expect(lockfileNameOf(`/ci/base-${name}.lock`, content)).toBe(file === 'npm-shrinkwrap.json' ? 'package-lock.json' : file);
    expect(lockfileNameOf(`/ci/${file}`, content)).toBe(file);
  });

  it('text that is no lockfile is a one-line error', () => {
    expect(() => lockfileNameOf('/ci/base.txt', Buffer.from('hello\n'))).toThrow(
      '--base-lockfile /ci/base.txt: cannot tell which package manager wrote it; name it package-lock.json, pnpm-lock.yaml, yarn.lock or bun.lock.',
    );
  });
});

describe('--base-lockfile: the current manifests with the given lockfile', () => {
  it('audits a workspace project as it was locked by the given file, not by the one in the folder', async () => {
    const original = await materializeFixture('lockfiles/npm-workspaces');
    cleanups.push(original.cleanup);
    const expected = await readInventory(original.dir);
    const saved = join(await scratch(), 'main.lock');
    await copyFile(join(original.dir, 'package-lock.json'), saved);
    // the head: the lockfile in the folder now locks nothing but the root
    await writeFile(join(original.dir, 'package-lock.json'), JSON.stringify({ name: 'fx-npm-workspaces', lockfileVersion: 3, requires: true, packages: { '': { name: 'fx-npm-workspaces' } } }));

    const side = await materializeLockfileBase(original.dir, saved);
    cleanups.push(side.cleanup);
    expect(side.ref).toBe(saved);
    expect(side.commit).toBeNull();
    expect((await stat(side.dir)).mode & 0o777).toBe(0o700);
    const base = await readInventory(side.dir);
    expect(base.packages.map((pkg) => pkg.id)).toEqual(expected.packages.map((pkg) => pkg.id));
    expect(base.packages.length).toBeGreaterThan(0);
    expect(base.importers.map((importer) => importer.path)).toEqual(['.', 'packages/app', 'packages/shared']);
    expect((await readdir(side.dir, { recursive: true })).sort()).toEqual(['package-lock.json', 'package.json', 'packages', 'packages/app', 'packages/app/package.json', 'packages/shared', 'packages/shared/package.json']);
  });

  it('a lockfile that cannot be read', async () => {
    const original = await materializeFixture('lockfiles/npm-v3-basic');
    cleanups.push(original.cleanup);
    await expect(materializeLockfileBase(original.dir, join(original.dir, 'nope.json'))).rejects.toThrow(/^--base-lockfile .*nope\.json: ENOENT: no such file or directory, lstat '.*'\.$/);
    await expect(materializeLockfileBase(original.dir, original.dir)).rejects.toThrow(/: not a regular file\.$/);
  });
});
