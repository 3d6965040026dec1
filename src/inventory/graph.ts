import { MAX_PATHS_PER_PACKAGE, type DependencyType, type LockedPackage, type PackageSource } from './model.js';

/**
 * A format-neutral dependency graph. Each lockfile reader builds one of these; `packagesOf`
 * turns it into the inventory's package list (dedupe, dependency paths, dev/optional/peer
 * flags), so every format gets the same semantics.
 */
export interface GraphNode {
  /** Unique per installed instance (npm: lockfile location; pnpm: package key). */
  key: string;
  name: string;
  version: string;
  /** The name the package is installed under, when it differs from `name`. */
  alias: string | null;
  resolved: string | null;
  integrity: string | null;
  source: PackageSource;
  hasInstallScript: boolean | null;
  /** Shipped inside its parent's tarball (npm `inBundle`). */
  bundled?: boolean;
  lockfileLine: number | null;
  /** Flags recorded by the lockfile; those absent are computed from the edges. */
  flags?: Partial<DependencyFlags>;
  /** A hash in the package manager's own format that is not an npm SRI (yarn berry `checksum`). */
  checksum?: string | null;
}

export interface DependencyFlags {
  dev: boolean;
  optional: boolean;
  peer: boolean;
}

export interface GraphImporter {
  key: string;
  /** Folder relative to the project root. */
  path: string;
  name: string;
}

export interface GraphEdge {
  /** The name the dependency is requested under (the alias, for aliased packages). */
  name: string;
  to: string;
  type: DependencyType;
}

export class DependencyGraph {
  readonly importers: GraphImporter[] = [];
  readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge[]>();
  private readonly requestedNames = new Map<string, Set<string>>();

  addImporter(importer: GraphImporter): void {
    this.importers.push(importer);
  }

  addNode(node: GraphNode): void {
    this.nodes.set(node.key, node);
  }

  addEdge(from: string, edge: GraphEdge): void {
    const list = this.edges.get(from);
    if (list) list.push(edge);
    else this.edges.set(from, [edge]);
    const names = this.requestedNames.get(edge.to);
    if (names) names.add(edge.name);
    else this.requestedNames.set(edge.to, new Set([edge.name]));
  }

  /** The names a node is requested under (differ from its own name for aliases). */
  namesRequesting(key: string): ReadonlySet<string> {
    return this.requestedNames.get(key) ?? new Set();
  }

  edgesFrom(key: string): readonly GraphEdge[] {
    return this.edges.get(key) ?? [];
  }
}

export function packageId(node: Pick<GraphNode, 'name' | 'version' | 'source' | 'resolved'>): string {
  return node.source === 'registry' || !node.resolved ? `${node.name}@${node.version}` : `${node.name}@${node.resolved}`;
}

export function packagesOf(graph: DependencyGraph): LockedPackage[] {
  const flags = computeFlags(graph);
  const paths = shortestPaths(graph);
  const byId = new Map<string, LockedPackage>();
  const importerKeys = new Set(graph.importers.map((importer) => importer.key));

  const directOf = new Map<string, Set<string>>();
  for (const importer of graph.importers) {
    for (const edge of graph.edgesFrom(importer.key)) {
      if (importerKeys.has(edge.to)) continue;
      const set = directOf.get(edge.to) ?? new Set<string>();
      set.add(importer.path);
      directOf.set(edge.to, set);
    }
  }

  for (const node of graph.nodes.values()) {
    if (importerKeys.has(node.key)) continue;
    const id = packageId(node);
    const nodeFlags: DependencyFlags = { ...(flags.get(node.key) ?? { dev: false, optional: false, peer: false }), ...node.flags };
    const workspaces = [...(directOf.get(node.key) ?? [])];
    const nodePaths = paths.get(node.key) ?? [];
    const existing = byId.get(id);
    if (!existing) {
      byId.set(id, {
        id,
        name: node.name,
        version: node.version,
        aliases: aliasesOf(graph, node),
        resolved: node.resolved,
        integrity: node.integrity,
        ...(node.checksum ? { checksum: node.checksum } : {}),
        source: node.source,
        direct: workspaces.length > 0,
        dev: nodeFlags.dev,
        optional: nodeFlags.optional,
        peer: nodeFlags.peer,
        workspaces,
        paths: nodePaths.slice(0, MAX_PATHS_PER_PACKAGE),
        instances: 1,
        lockfileLine: node.lockfileLine,
        hasInstallScript: node.hasInstallScript,
        ...(node.bundled ? { bundled: true as const } : {}),
      });
      continue;
    }
    existing.instances++;
    existing.direct ||= workspaces.length > 0;
    existing.dev &&= nodeFlags.dev;
    existing.optional &&= nodeFlags.optional;
    existing.peer &&= nodeFlags.peer;
    // one instance installed from the registry needs the integrity check
    if (existing.bundled && !node.bundled) delete existing.bundled;
    existing.integrity ??= node.integrity;
    if (node.checksum && !existing.checksum) existing.checksum = node.checksum;
    existing.resolved ??= node.resolved;
    if (node.hasInstallScript !== null) existing.hasInstallScript = (existing.hasInstallScript ?? false) || node.hasInstallScript;
    for (const alias of aliasesOf(graph, node)) if (!existing.aliases.includes(alias)) existing.aliases.push(alias);
    for (const workspace of workspaces) if (!existing.workspaces.includes(workspace)) existing.workspaces.push(workspace);
    mergePaths(existing.paths, nodePaths);
  }
  return [...byId.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version) || compareText(a.id, b.id));
}

function aliasesOf(graph: DependencyGraph, node: GraphNode): string[] {
  const names = new Set(graph.namesRequesting(node.key));
  if (node.alias) names.add(node.alias);
  names.delete(node.name);
  return [...names].sort();
}

function mergePaths(into: string[][], more: string[][]): void {
  const seen = new Set(into.map((path) => path.join('\u0000')));
  for (const path of more) {
    if (into.length >= MAX_PATHS_PER_PACKAGE) break;
    const id = path.join('\u0000');
    if (!seen.has(id)) {
      seen.add(id);
      into.push(path);
    }
  }
  into.sort((a, b) => a.length - b.length);
}

/**
 * dev/optional/peer mean "only reachable that way", as npm computes them: every node starts
 * with all flags set, and each path that reaches it without the flag clears it.
 */
function computeFlags(graph: DependencyGraph): Map<string, DependencyFlags> {
  const flags = new Map<string, DependencyFlags>();
  const queue: string[] = [];
  const visit = (key: string, incoming: DependencyFlags) => {
    const current = flags.get(key);
    if (!current) {
      flags.set(key, { ...incoming });
      queue.push(key);
      return;
    }
    const next = { dev: current.dev && incoming.dev, optional: current.optional && incoming.optional, peer: current.peer && incoming.peer };
    if (next.dev !== current.dev || next.optional !== current.optional || next.peer !== current.peer) {
      flags.set(key, next);
      queue.push(key);
    }
  };
  const importerKeys = new Set(graph.importers.map((importer) => importer.key));
  for (const importer of graph.importers) {
    for (const edge of graph.edgesFrom(importer.key)) {
      if (importerKeys.has(edge.to)) continue;
      visit(edge.to, { dev: edge.type === 'dev', optional: edge.type === 'optional', peer: edge.type === 'peer' });
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const key = queue[head] as string;
    const parent = flags.get(key) as DependencyFlags;
    for (const edge of graph.edgesFrom(key)) {
      if (importerKeys.has(edge.to)) continue;
      visit(edge.to, {
        dev: parent.dev,
        optional: parent.optional || edge.type === 'optional',
        peer: parent.peer || edge.type === 'peer',
      });
    }
  }
  return flags;
}

/**
 * Breadth-first from every importer: the first path to reach a node is a shortest one; a few
 * more are kept for nodes reached again, without walking past them twice.
 */
function shortestPaths(graph: DependencyGraph): Map<string, string[][]> {
  const paths = new Map<string, string[][]>();
  const expanded = new Set<string>();
  const importerKeys = new Map(graph.importers.map((importer) => [importer.key, importer]));
  const root = graph.importers[0];
  const queue: Array<{ key: string; path: string[] }> = [];
  for (const importer of graph.importers) {
    const start = importer === root || !root ? [importer.name] : [root.name, importer.name];
    queue.push({ key: importer.key, path: start });
  }
  let head = 0;
  while (head < queue.length) {
    const { key, path } = queue[head++] as { key: string; path: string[] };
    if (expanded.has(key)) continue;
    expanded.add(key);
    for (const edge of graph.edgesFrom(key)) {
      if (importerKeys.has(edge.to)) continue;
      const node = graph.nodes.get(edge.to);
      if (!node) continue;
      const next = [...path, edge.name];
      const known = paths.get(edge.to);
      if (!known) {
        paths.set(edge.to, [next]);
        queue.push({ key: edge.to, path: next });
      } else if (known.length < MAX_PATHS_PER_PACKAGE) {
        known.push(next);
      }
    }
  }
  return paths;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
