import type { Edge, Node } from '@npmcli/arborist';
import { relative } from 'node:path';
import { AuditError, errorMessage } from '../model/errors.js';
import { JsonKeyLines } from '../util/json-lines.js';
import { DependencyGraph, type GraphNode } from './graph.js';
import { linearGraph } from './npm-linear.js';
import { isPlainObject, stripBom } from './manifest.js';
import type { DependencyType } from './model.js';
import type { LockfileReader } from './reader.js';
import { sourceOf } from './source.js';
import { loadVirtualTree } from './virtual-tree.js';

const SUPPORTED_VERSIONS = new Set([1, 2, 3]);

/**
 * Above this many `packages` entries arborist's virtual tree costs seconds and then minutes (its
 * named-edge reload is quadratic in a flat tree: 118 s for 20,000 packages), so the lockfile is
 * read in one linear pass that gives the same graph (tested against arborist on every fixture).
 */
export const LINEAR_READ_FROM = 2_000;

/**
 * npm-shrinkwrap.json / package-lock.json, read as npm reads it: through arborist's virtual tree,
 * and for very large v2/v3 lockfiles in one linear pass over `packages` (npm-linear.ts). The
 * text is validated first: a broken lockfile must stop the audit, not quietly turn into "no lockfile".
 */
export const npmLockfileReader: LockfileReader = {
  format: 'npm',
  async read({ root, lockfile, text }) {
    const data = validateNpmLockfile(text, lockfile.path);
    const version = String(data.lockfileVersion);
    const keyLines = new JsonKeyLines(text, 2);
    if (data.lockfileVersion >= 2 && data.packages && Object.keys(data.packages).length > LINEAR_READ_FROM) return { version, graph: await linearGraph(root, data.packages, (location) => keyLines.line('packages', location)) };
    return { version, graph: await arboristGraph(root, lockfile.path, data, keyLines) };
  },
};

/**
 * The graph of arborist's virtual tree, as npm itself reads the lockfile; the reference the linear
 * read is tested against. `incremental`: built exactly as arborist builds it, for tests that hold
 * the faster build to it.
 */
export async function arboristGraph(root: string, path: string, data: NpmLockfileShape, keyLines: JsonKeyLines, mode: 'fast' | 'incremental' = 'fast'): Promise<DependencyGraph> {
  const tree = await readVirtualTree(root, path, data.lockfileVersion, mode);
  const lineOf = (node: Node): number | null => (data.lockfileVersion === 1 ? keyLines.line('dependencies', node.name) : keyLines.line('packages', node.location));
  return graphOfTree(root, tree, lineOf, data.lockfileVersion >= 2);
}

export interface NpmLockfileShape {
  lockfileVersion: number;
  packages?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
}

export function validateNpmLockfile(text: string, path: string): NpmLockfileShape {
  if (text.trim() === '') throw new AuditError('ELOCKFILE_PARSE', `${path} is empty.`, { file: path });
  if (text.includes('\u0000')) throw new AuditError('ELOCKFILE_PARSE', `${path} is binary, not a JSON lockfile.`, { file: path });
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (error) {
    throw new AuditError('ELOCKFILE_PARSE', `${path} is not valid JSON (${errorMessage(error)}); was it truncated or hand-edited?`, {
      file: path,
      cause: error,
    });
  }
  if (!isPlainObject(data)) throw new AuditError('ELOCKFILE_PARSE', `${path} must hold a JSON object.`, { file: path });
  // npm 5.0 and 5.1 wrote no lockfileVersion; their files are version 1 (npm itself reads them so)
  const lockfileVersion = data.lockfileVersion === undefined && isPlainObject(data.dependencies) ? 1 : data.lockfileVersion;
  if (typeof lockfileVersion !== 'number' || !SUPPORTED_VERSIONS.has(lockfileVersion)) {
    throw new AuditError(
      'ELOCKFILE_PARSE',
      `${path} has lockfileVersion ${JSON.stringify(lockfileVersion)}; expected 1, 2 or 3.`,
      { file: path },
    );
  }
  const section = lockfileVersion === 1 ? 'dependencies' : 'packages';
  const entries = data[section];
  if (entries !== undefined && !isPlainObject(entries)) {
    throw new AuditError('ELOCKFILE_PARSE', `${path}: "${section}" must be an object.`, { file: path });
  }
  if (lockfileVersion > 1 && entries === undefined) {
    throw new AuditError('ELOCKFILE_PARSE', `${path} has no "packages" section.`, { file: path });
  }
  for (const [key, entry] of Object.entries(entries ?? {})) {
    if (!isPlainObject(entry)) {
      throw new AuditError('ELOCKFILE_PARSE', `${path}: entry "${key}" in "${section}" must be an object.`, { file: path });
    }
    if (key !== '' && !entry.link && entry.version !== undefined && typeof entry.version !== 'string') {
      throw new AuditError('ELOCKFILE_PARSE', `${path}: entry "${key}" has a non-string version.`, { file: path });
    }
  }
  return { ...data, lockfileVersion } as unknown as NpmLockfileShape;
}

async function readVirtualTree(root: string, path: string, lockfileVersion: number, mode: 'fast' | 'incremental'): Promise<Node> {
  try {
    // arborist is loaded then, not at start-up: it is a third of a warm run's module loading, and a cached inventory needs none of it
    return await loadVirtualTree(root, lockfileVersion, mode);
  } catch (error) {
    throw new AuditError('ELOCKFILE_PARSE', `${path} could not be read as an npm lockfile: ${errorMessage(error)}.`, {
      file: path,
      cause: error,
    });
  }
}

function graphOfTree(
  projectRoot: string,
  tree: Node,
  lineOf: (node: Node) => number | null,
  recordsInstallScripts: boolean,
): DependencyGraph {
  const graph = new DependencyGraph();
  const importerKey = (node: Node) => `importer:${node.location}`;
  const importers = new Set<Node>([tree]);
  for (const path of tree.workspaces?.values() ?? []) {
    const workspace = [...tree.inventory.values()].find((node) => !node.isLink && node.path === path);
    if (workspace) importers.add(workspace);
  }
  for (const importer of importers) {
    graph.addImporter({
      key: importerKey(importer),
      path: relative(projectRoot, importer.path) || '.',
      name: importer.packageName || importer.name,
    });
  }
  const keyOf = (node: Node) => (importers.has(node) ? importerKey(node) : node.location);
  const linksTo = new Map<Node, Node[]>();
  for (const node of tree.inventory.values()) {
    if (node.isLink) linksTo.set(node.target, [...(linksTo.get(node.target) ?? []), node]);
  }

  for (const node of tree.inventory.values()) {
    if (node.isLink) continue;
    if (!importers.has(node)) graph.addNode(nodeOf(node, linksTo.get(node) ?? [], lineOf(node), recordsInstallScripts));
    for (const edge of node.edgesOut.values()) {
      const target = edge.to?.isLink ? edge.to.target : edge.to;
      if (!target) continue;
      graph.addEdge(keyOf(node), { name: edge.name, to: keyOf(target), type: edgeType(edge) });
    }
  }
  return graph;
}

function nodeOf(node: Node, links: Node[], lockfileLine: number | null, recordsInstallScripts: boolean): GraphNode {
  const requestedBy = [...node.edgesIn, ...links.flatMap((link) => [...link.edgesIn])].map((edge) => edge.spec);
  const name = node.packageName || node.name;
  const inNodeModules = node.location.startsWith('node_modules/') || node.location.includes('/node_modules/');
  return {
    key: node.location,
    name,
    version: node.version ?? '',
    alias: node.name !== name ? node.name : null,
    // a linked folder's lockfile entry is its location relative to the root
    resolved: node.resolved ?? (inNodeModules ? null : `file:${node.location}`),
    integrity: node.integrity ?? null,
    source: inNodeModules ? sourceOf(node.resolved ?? null, requestedBy) : 'directory',
    // lockfile v2+ writes hasInstallScript whenever it is true; v1 never records it
    hasInstallScript: recordsInstallScripts ? node.hasInstallScript : null,
    ...(node.inBundle ? { bundled: true } : {}),
    lockfileLine,
    flags: { dev: node.dev, optional: node.optional, peer: node.peer },
  };
}

function edgeType(edge: Edge): DependencyType {
  switch (edge.type) {
    case 'dev':
      return 'dev';
    case 'optional':
      return 'optional';
    case 'peer':
    case 'peerOptional':
      return 'peer';
    default:
      return 'prod';
  }
}
