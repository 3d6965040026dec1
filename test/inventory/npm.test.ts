import { afterEach, describe, expect, it } from 'vitest';
import { readInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/model.js';
import { materializeFixture, readExpected } from '../helpers/fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function inventoryOf(fixture: string): Promise<Inventory> {
  const { dir, cleanup } = await materializeFixture(`lockfiles/${fixture}`);
  cleanups.push(cleanup);
  return readInventory(dir);
}

const comparable = (inventory: Inventory) =>
  inventory.packages
    .filter((pkg) => pkg.source !== 'directory')
    .map(({ name, version, direct, dev, optional }) => ({ name, version, direct, dev, optional }));

describe('npm lockfiles through arborist', () => {
  it.each(['npm-v1', 'npm-v2', 'npm-v3-basic', 'npm-shrinkwrap', 'npm-workspaces', 'npm-aliases', 'npm-git-file', 'npm-no-integrity', 'npm-overrides'])(
    '%s lists exactly the locked packages with their flags',
    async (fixture) => {
      const inventory = await inventoryOf(fixture);
      const expected = await readExpected(`lockfiles/${fixture}`);
      expect(inventory.lockfile?.format).toBe('npm');
      expect(inventory.lockfile?.file).toBe(expected.lockfile);
      expect(inventory.lockfile?.version).toBe(String(expected.lockfileVersion));
      expect(comparable(inventory)).toEqual(expected.packages);
    },
  );

  it('prefers npm-shrinkwrap.json and notes the ignored package-lock.json', async () => {
    const inventory = await inventoryOf('npm-shrinkwrap');
    expect(inventory.lockfile?.file).toBe('npm-shrinkwrap.json');
    expect(inventory.notices.join('\n')).toMatch(/package-lock\.json is also present/);
  });

  it('resolves aliases to the real package name and keeps the alias', async () => {
    const inventory = await inventoryOf('npm-aliases');
    const aliased = inventory.packages.filter((pkg) => pkg.aliases.length > 0);
    expect(aliased.length).toBeGreaterThan(0);
    for (const pkg of aliased) expect(pkg.aliases).not.toContain(pkg.name);
    const declared = inventory.importers[0]?.declared.find((dep) => dep.spec.startsWith('npm:'));
    expect(declared?.locked?.name).not.toBe(declared?.name);
  });

  it('maps workspaces to importers and records who declares what', async () => {
    const inventory = await inventoryOf('npm-workspaces');
    expect(inventory.importers.map((importer) => importer.path).sort()).toEqual(['.', 'packages/app', 'packages/shared']);
    const openai = inventory.packages.find((pkg) => pkg.name === 'openai');
    expect(openai?.direct).toBe(true);
    expect(openai?.workspaces).toEqual(['packages/app']);
    expect(openai?.paths[0]).toEqual([inventory.name, '@fx/app', 'openai']);
  });

  it('gives every transitive package a dependency path from the root', async () => {
    const inventory = await inventoryOf('npm-v3-basic');
    for (const pkg of inventory.packages) {
      expect(pkg.paths.length, pkg.id).toBeGreaterThan(0);
      const first = pkg.paths[0] as string[];
      expect(first[0]).toBe(inventory.name);
      expect(first.at(-1) === pkg.name || pkg.aliases.includes(first.at(-1) as string)).toBe(true);
      if (!pkg.direct) expect(first.length).toBeGreaterThan(2);
    }
  });

  it('classifies git, local and remote sources', async () => {
    const inventory = await inventoryOf('npm-git-file');
    const sources = new Set(inventory.packages.map((pkg) => pkg.source));
    expect(sources).toContain('git');
    expect(sources).toContain('file');
    expect(sources).toContain('registry');
  });

  it('points at the lockfile line of each entry', async () => {
    const inventory = await inventoryOf('npm-v3-basic');
    expect(inventory.packages.every((pkg) => typeof pkg.lockfileLine === 'number' && pkg.lockfileLine > 1)).toBe(true);
  });
});
