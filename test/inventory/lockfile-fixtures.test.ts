import { afterEach, describe, expect, it } from 'vitest';
import { readInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/model.js';
import { materializeFixture, readExpected } from '../helpers/fixtures.js';

const CASES = ['pnpm-v9', 'pnpm-v6', 'pnpm-v5', 'yarn-v1', 'yarn-berry', 'bun'];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function inventoryOf(name: string): Promise<Inventory> {
  const fixture = await materializeFixture(`lockfiles/${name}`);
  cleanups.push(fixture.cleanup);
  return readInventory(fixture.dir);
}

describe.each(CASES)('%s lockfile written by the real package manager', (name) => {
  it('inventories exactly the locked packages with direct/dev/optional as expected', async () => {
    const expected = await readExpected(`lockfiles/${name}`);
    const inventory = await inventoryOf(name);
    expect(inventory.lockfile?.format).toBe(expected.format);
    expect(inventory.lockfile?.version).toBe(String(expected.lockfileVersion));
    const actual = inventory.packages.map(({ name, version, direct, dev, optional }) => ({ name, version, direct, dev, optional }));
    const key = (p: { name: string; version: string }) => `${p.name}@${p.version}`;
    expect(actual.sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected.packages].sort((a, b) => key(a).localeCompare(key(b))));
  });
});
