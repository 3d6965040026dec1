import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCKFILE_READERS, readInventory, type ReadInventoryOptions } from '../../src/inventory/index.js';
import type { LockfileFormat } from '../../src/inventory/model.js';
import type { LockfileReader } from '../../src/inventory/reader.js';
import { toolCacheDir } from '../../src/util/tool-cache.js';
import { materializeFixture } from '../helpers/fixtures.js';
import { CacheAuth } from '../../src/util/cache-auth.js';

// the key readInventory uses when given none
const auth = CacheAuth.ephemeral();

let readers: Record<LockfileFormat, LockfileReader> = { ...LOCKFILE_READERS };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  readers = { ...LOCKFILE_READERS };
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** readInventory with this test's readers, so a reader can be made to fail. */
function read(dir: string, options: ReadInventoryOptions = {}): ReturnType<typeof readInventory> {
  return readInventory(dir, { ...options, readers });
}

async function project(fixture: string): Promise<{ dir: string; cacheDir: string }> {
  const { dir, cleanup } = await materializeFixture(`lockfiles/${fixture}`);
  const cacheDir = await mkdtemp(join(tmpdir(), 'aca-inventory-cache-'));
  cleanups.push(cleanup, () => rm(cacheDir, { recursive: true, force: true }));
  return { dir, cacheDir };
}

/** Every read from now on fails loudly: a result can then only have come from the cache. */
function forbidParsing(format: LockfileFormat): void {
  readers = { ...readers, [format]: { format, read: () => Promise.reject(new Error(`the ${format} lockfile was parsed`)) } };
}

function allowParsing(format: LockfileFormat): void {
  readers = { ...readers, [format]: LOCKFILE_READERS[format] };
}

async function cacheFiles(cacheDir: string): Promise<string[]> {
  return readdir(join(cacheDir, 'inventories')).catch(() => []);
}

describe('inventory cache', () => {
  it.each([
    ['npm-v3-basic', 'npm'],
    ['npm-v1', 'npm'],
    ['npm-workspaces', 'npm'],
    ['npm-aliases', 'npm'],
    ['npm-git-file', 'npm'],
    ['pnpm-v9', 'pnpm'],
    ['yarn-v1', 'yarn-classic'],
    ['yarn-berry', 'yarn-berry'],
    ['bun', 'bun'],
  ] as Array<[string, LockfileFormat]>)('%s: a warm read gives exactly the inventory a cold read gave, without parsing', async (fixture, format) => {
    const { dir, cacheDir } = await project(fixture);
    const uncached = await read(dir);
    const cold = await read(dir, { cacheDir });
    expect(await cacheFiles(cacheDir)).toHaveLength(1);
    forbidParsing(format);
    const warm = await read(dir, { cacheDir });
    expect(warm).toStrictEqual(cold);
    expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
    expect(JSON.stringify(cold)).toBe(JSON.stringify(uncached));
    expect(warm.packages.length).toBeGreaterThan(0);
  });

  it('without a cache folder nothing is stored and every read parses', async () => {
    const { dir } = await project('npm-v3-basic');
    await read(dir);
    forbidParsing('npm');
    await expect(read(dir)).rejects.toThrow('the npm lockfile was parsed');
  });

  it('a changed lockfile is a miss', async () => {
    const { dir, cacheDir } = await project('npm-v3-basic');
    const cold = await read(dir, { cacheDir });
    const lockfile = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const [key] = Object.keys(lockfile.packages).filter((path) => path.startsWith('node_modules/'));
    const entry = lockfile.packages[key ?? ''];
    if (!entry) throw new Error('fixture has no locked package');
    entry.version = '99.0.0';
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lockfile, null, 2));
    const changed = await read(dir, { cacheDir });
    expect(changed.packages.map((pkg) => pkg.version)).toContain('99.0.0');
    expect(changed.packages).not.toEqual(cold.packages);
    forbidParsing('npm');
    expect(await read(dir, { cacheDir })).toStrictEqual(changed);
  });

  it('a changed root package.json is a miss', async () => {
    const { dir, cacheDir } = await project('npm-v3-basic');
    await read(dir, { cacheDir });
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    manifest.dependencies = { ...manifest.dependencies, 'added-later': '^1.0.0' };
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    const changed = await read(dir, { cacheDir });
    expect(changed.importers[0]?.declared.map((dep) => dep.name)).toContain('added-later');
  });

  it.each([
    ['npm-workspaces', 'npm', 'packages/app/package.json'],
    ['pnpm-v9', 'pnpm', 'packages/app/package.json'],
    ['npm-git-file', 'npm', 'vendor/local-pkg/package.json'],
  ] as Array<[string, LockfileFormat, string]>)('%s: a changed %s package.json (%s) is a miss', async (fixture, format, file) => {
    const { dir, cacheDir } = await project(fixture);
    const cold = await read(dir, { cacheDir });
    const manifest = JSON.parse(await readFile(join(dir, file), 'utf8')) as { version?: string; dependencies?: Record<string, string> };
    manifest.dependencies = { ...manifest.dependencies, 'added-later': '^1.0.0' };
    await writeFile(join(dir, file), JSON.stringify(manifest, null, 2));
    forbidParsing(format);
    await expect(read(dir, { cacheDir })).rejects.toThrow(`the ${format} lockfile was parsed`);
    allowParsing(format);
    const changed = await read(dir, { cacheDir });
    expect(changed.packages.length).toBe(cold.packages.length);
    forbidParsing(format);
    expect(await read(dir, { cacheDir })).toStrictEqual(changed);
  });

  it('a new folder matching the workspaces globs is a miss', async () => {
    const { dir, cacheDir } = await project('npm-workspaces');
    await read(dir, { cacheDir });
    await mkdir(join(dir, 'packages', 'added'));
    await writeFile(join(dir, 'packages', 'added', 'package.json'), JSON.stringify({ name: 'added', version: '1.0.0' }));
    forbidParsing('npm');
    await expect(read(dir, { cacheDir })).rejects.toThrow('the npm lockfile was parsed');
  });

  it('a corrupt, truncated, foreign or malformed cache file is ignored and replaced', async () => {
    const { dir, cacheDir } = await project('npm-v3-basic');
    const cold = await read(dir, { cacheDir });
    const [name] = await cacheFiles(cacheDir);
    const file = join(cacheDir, 'inventories', name ?? '');
    const good = await readFile(file, 'utf8');
    const label = `ai-chain-audit/inventory/2\0${dir}`;
    const entry = JSON.parse(auth.open(label, good) ?? 'null') as { format: string; inventory: { packages: unknown[] } };
    const bad = [
      'not json',
      good.slice(0, good.length / 2),
      JSON.stringify({ ...entry, format: 'someone-else/inventory/1' }),
      JSON.stringify({ ...entry, inventory: { ...entry.inventory, packages: [{ id: 1 }] } }),
      JSON.stringify({ ...entry, dependencies: 'none' }),
    ];
    for (const text of bad) {
      await writeFile(file, auth.seal(label, text));
      forbidParsing('npm');
      await expect(read(dir, { cacheDir })).rejects.toThrow('the npm lockfile was parsed');
      allowParsing('npm');
      expect(await read(dir, { cacheDir })).toStrictEqual(cold);
      expect(await readFile(file, 'utf8')).toBe(good);
    }
  });

  it('a malformed lockfile is never stored, and never served from an earlier entry', async () => {
    const { dir, cacheDir } = await project('npm-v3-basic');
    await read(dir, { cacheDir });
    const [name] = await cacheFiles(cacheDir);
    const stored = await readFile(join(cacheDir, 'inventories', name ?? ''), 'utf8');
    const lockfile = await readFile(join(dir, 'package-lock.json'), 'utf8');
    await writeFile(join(dir, 'package-lock.json'), lockfile.slice(0, lockfile.length / 2));
    await expect(read(dir, { cacheDir })).rejects.toMatchObject({ code: 'ELOCKFILE_PARSE' });
    await expect(read(dir, { cacheDir })).rejects.toMatchObject({ code: 'ELOCKFILE_PARSE' });
    expect(await readFile(join(cacheDir, 'inventories', name ?? ''), 'utf8')).toBe(stored);

    const fresh = await project('npm-v3-basic');
    await writeFile(join(fresh.dir, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {"node_modules/a": 5}}');
    await expect(readInventory(fresh.dir, { cacheDir: fresh.cacheDir })).rejects.toMatchObject({ code: 'ELOCKFILE_PARSE' });
    expect(await cacheFiles(fresh.cacheDir)).toEqual([]);
  });

  it('lives beside npm\'s _cacache, not inside it', () => {
    expect(toolCacheDir('/home/u/.npm/_cacache')).toBe('/home/u/.npm/_ai-chain-audit');
    expect(toolCacheDir('/somewhere/cache')).toBe('/somewhere/cache/_ai-chain-audit');
    expect(toolCacheDir(undefined)).toBeNull();
    expect(toolCacheDir('')).toBeNull();
  });
});
