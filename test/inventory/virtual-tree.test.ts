import type { Node } from '@npmcli/arborist';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNpmLockfile } from '../../src/inventory/npm.js';
import { linearTreeLoads, loadVirtualTree } from '../../src/inventory/virtual-tree.js';
import { materializeFixture } from '../helpers/fixtures.js';
import { writeFlatLockfile } from '../helpers/flat-lockfile.js';

// every npm lockfile fixture: v1, v2, v3, shrinkwrap, workspaces, aliases, git and file specs,
// out of sync with package.json (arborist recomputes the flags), overrides, real AI projects
const FIXTURES = ['lockfiles/npm-v1', 'lockfiles/npm-v2', 'lockfiles/npm-v3-basic', 'lockfiles/npm-shrinkwrap', 'lockfiles/npm-workspaces', 'lockfiles/npm-aliases', 'lockfiles/npm-git-file', 'lockfiles/npm-no-integrity', 'lockfiles/npm-out-of-sync', 'lockfiles/npm-overrides', 'projects/ai-app', 'projects/ai-service'];

/** Everything arborist works out about a tree: each node's flags and link target, each edge's resolution and validity, who depends on whom. */
function snapshot(tree: Node): unknown[] {
  return [...tree.inventory.values()]
    .sort((a, b) => a.location.localeCompare(b.location))
    .map((node) => ({
      location: node.location,
      name: node.name,
      version: node.version,
      flags: [node.dev, node.optional, node.devOptional, node.peer, node.extraneous, node.inBundle],
      target: node.isLink ? node.target?.location : null,
      edgesOut: [...node.edgesOut.values()].map((edge) => [edge.name, edge.type, edge.spec, edge.to?.location ?? null, edge.valid, edge.missing, edge.invalid]),
      edgesIn: [...node.edgesIn].map((edge) => `${edge.from?.location}>${edge.name}`).sort(),
    }));
}

async function lockfileVersion(dir: string): Promise<number> {
  const file = existsSync(join(dir, 'npm-shrinkwrap.json')) ? 'npm-shrinkwrap.json' : 'package-lock.json';
  return validateNpmLockfile(await readFile(join(dir, file), 'utf8'), file).lockfileVersion;
}

describe("arborist's virtual tree without the quadratic named-edge reloads", () => {
  it('is available with the arborist this project pins (otherwise every tree loads the slow way)', async () => {
    expect(await linearTreeLoads()).toBe(true);
  });

  it.each(FIXTURES)('is the tree arborist builds: %s', async (fixture) => {
    const project = await materializeFixture(fixture, { registry: 'https://registry.example.test/' });
    try {
      const version = await lockfileVersion(project.dir);
      const fast = snapshot(await loadVirtualTree(project.dir, version, 'fast'));
      const incremental = snapshot(await loadVirtualTree(project.dir, version, 'incremental'));
      expect(fast.length).toBeGreaterThan(1);
      expect(fast).toEqual(incremental);
    } finally {
      await project.cleanup();
    }
  });

  it('loads trees concurrently without one seeing the other suspended', async () => {
    const projects = await Promise.all(['lockfiles/npm-overrides', 'lockfiles/npm-out-of-sync', 'projects/ai-app'].map((fixture) => materializeFixture(fixture)));
    try {
      const expected = await Promise.all(projects.map(async (project) => snapshot(await loadVirtualTree(project.dir, await lockfileVersion(project.dir), 'incremental'))));
      const mixed = await Promise.all(projects.flatMap((project) => (['fast', 'incremental'] as const).map(async (mode) => snapshot(await loadVirtualTree(project.dir, await lockfileVersion(project.dir), mode)))));
      expect(mixed).toEqual(expected.flatMap((tree) => [tree, tree]));
    } finally {
      await Promise.all(projects.map((project) => project.cleanup()));
    }
  });

  it('builds a flat tree of 4,000 packages in a fraction of the time arborist needs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aca-tree-'));
    try {
      await writeFlatLockfile(dir, 4_000, (index) => [index + 1]);
      await linearTreeLoads(); // arborist's modules load before the clock starts
      let started = performance.now();
      const fast = await loadVirtualTree(dir, 3, 'fast');
      const fastMs = performance.now() - started;
      started = performance.now();
      const incremental = await loadVirtualTree(dir, 3, 'incremental');
      const incrementalMs = performance.now() - started;
      // where each edge leads (the flags and validity getters of a 4,000-long chain cost more than building it)
      const edges = (tree: Node) => JSON.stringify([...tree.inventory.values()].map((node) => [node.location, [...node.edgesOut.values()].map((edge) => edge.to?.location), [...node.edgesIn].map((edge) => edge.from?.location).sort()]).sort());
      expect(edges(fast) === edges(incremental)).toBe(true);
      // about 0.5 s against 2.4 s on an idle machine (arborist's walks visit 8 million nodes)
      expect(fastMs * 2).toBeLessThan(incrementalMs);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
