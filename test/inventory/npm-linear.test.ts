import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagesOf, type DependencyGraph } from '../../src/inventory/graph.js';
import { arboristGraph, validateNpmLockfile } from '../../src/inventory/npm.js';
import { linearGraph } from '../../src/inventory/npm-linear.js';
import { JsonKeyLines } from '../../src/util/json-lines.js';
import { materializeFixture } from '../helpers/fixtures.js';
import { writeFlatLockfile } from '../helpers/flat-lockfile.js';

const FIXTURES = ['lockfiles/npm-aliases', 'lockfiles/npm-git-file', 'lockfiles/npm-no-integrity', 'lockfiles/npm-out-of-sync', 'lockfiles/npm-overrides', 'lockfiles/npm-shrinkwrap', 'lockfiles/npm-v2', 'lockfiles/npm-v3-basic', 'lockfiles/npm-workspaces', 'projects/ai-app', 'projects/ai-service'];

/** The graph as the inventory sees it: importers, packages (flags, paths, sources) and every edge. */
function view(graph: DependencyGraph): object {
  const edges = [...graph.nodes.keys(), ...graph.importers.map((importer) => importer.key)].flatMap((key) => graph.edgesFrom(key).map((edge) => `${key} -${edge.type}-> ${edge.name} ${edge.to}`));
  return { importers: [...graph.importers].sort((a, b) => a.key.localeCompare(b.key)), packages: packagesOf(graph).sort((a, b) => a.id.localeCompare(b.id)), edges: edges.sort() };
}

async function bothGraphs(dir: string, file = 'package-lock.json'): Promise<{ linear: DependencyGraph; arborist: DependencyGraph }> {
  const text = await readFile(join(dir, file), 'utf8');
  const data = validateNpmLockfile(text, file);
  const keyLines = new JsonKeyLines(text, 2);
  const linear = await linearGraph(dir, data.packages ?? {}, (location) => keyLines.line('packages', location));
  return { linear, arborist: await arboristGraph(dir, join(dir, file), data, keyLines) };
}

describe('linear read of v2/v3 npm lockfiles', () => {
  it.each(FIXTURES)('gives the graph arborist gives: %s', async (fixture) => {
    const project = await materializeFixture(fixture, { registry: 'https://registry.example.test/' });
    try {
      // npm (and arborist) read npm-shrinkwrap.json before package-lock.json
      const { linear, arborist } = await bothGraphs(project.dir, existsSync(join(project.dir, 'npm-shrinkwrap.json')) ? 'npm-shrinkwrap.json' : 'package-lock.json');
      expect(view(linear)).toEqual(view(arborist));
    } finally {
      await project.cleanup();
    }
  });

  it('reads a flat lockfile of 20,000 packages in linear time (arborist takes minutes)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aca-linear-'));
    try {
      const text = await writeFlatLockfile(dir, 20_000, (index) => [index + 1, index + 7, index + 13]);
      const started = performance.now();
      const keyLines = new JsonKeyLines(text, 2);
      const graph = await linearGraph(dir, validateNpmLockfile(text, 'package-lock.json').packages ?? {}, (location) => keyLines.line('packages', location));
      const inventory = packagesOf(graph);
      // ~1 s on an idle machine; arborist's virtual tree takes about two minutes for this file
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(inventory).toHaveLength(20_000);
      expect(graph.edgesFrom('node_modules/pkg-19999').map((edge) => edge.to)).toEqual(['node_modules/pkg-0', 'node_modules/pkg-6', 'node_modules/pkg-12']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
