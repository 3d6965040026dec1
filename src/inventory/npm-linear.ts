import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { DependencyGraph } from './graph.js';
import { isPlainObject, stripBom } from './manifest.js';
import type { DependencyType } from './model.js';
import { sourceOf } from './source.js';

type Entry = Record<string, unknown>;

interface LinearEdge {
  name: string;
  spec: string;
  type: DependencyType;
}

/**
 * A v2/v3 lockfile's `packages` section as the graph arborist's virtual tree gives, in one pass:
 * every entry is a node at its location, a dependency resolves as Node's module lookup does (the
 * nearest `node_modules/<name>` walking up the locations, a folder's parent being the root), a
 * link stands for its target. Arborist re-resolves the named edges of a whole subtree each time
 * a node is placed, which grows with the square of a flat tree (118 s for 20,000 packages);
 * this is linear in the entries and their dependencies.
 */
export async function linearGraph(root: string, packages: Record<string, unknown>, lineOf: (location: string) => number | null): Promise<DependencyGraph> {
  const graph = new DependencyGraph();
  const entries = new Map<string, Entry>();
  for (const [location, entry] of Object.entries(packages)) if (isPlainObject(entry)) entries.set(location, entry);
  const rootManifest = await readRootManifest(root, entries.get('') ?? {});
  entries.set('', rootManifest);

  const importers = new Map<string, string>([['', 'importer:']]);
  for (const path of await workspaceFolders(root, rootManifest)) {
    const location = relative(root, path).split('\\').join('/');
    if (entries.has(location) && !entries.get(location)?.link) importers.set(location, `importer:${location}`);
  }
  const workspaceEdges: Array<{ name: string; to: string }> = [];
  for (const [location, key] of importers) {
    const entry = entries.get(location) ?? {};
    const name = typeof entry.name === 'string' ? entry.name : location === '' ? '' : baseName(location);
    graph.addImporter({ key, path: location || '.', name });
    if (location !== '') workspaceEdges.push({ name, to: key });
  }

  const targetOf = (location: string): string => {
    const entry = entries.get(location);
    return entry?.link === true && typeof entry.resolved === 'string' ? entry.resolved : location;
  };
  const keyOf = (location: string) => importers.get(location) ?? location;
  const requestedBy = new Map<string, string[]>();
  const edgesOf = new Map<string, Array<{ edge: LinearEdge; to: string }>>();

  for (const [location, entry] of entries) {
    if (entry.link === true) continue;
    const out: Array<{ edge: LinearEdge; to: string }> = [];
    for (const edge of declaredEdges(entry, !isInNodeModules(location))) {
      const found = resolveFrom(location, edge.name, entries);
      if (found === null) continue;
      const target = targetOf(found);
      if (!entries.has(target)) continue;
      out.push({ edge, to: target });
      const specs = requestedBy.get(target);
      if (specs) specs.push(edge.spec);
      else requestedBy.set(target, [edge.spec]);
    }
    edgesOf.set(location, out);
  }

  for (const [location, entry] of entries) {
    if (entry.link === true) continue;
    if (!importers.has(location)) {
      const folder = !isInNodeModules(location);
      const folderName = baseName(location);
      const name = typeof entry.name === 'string' ? entry.name : folderName;
      const resolved = typeof entry.resolved === 'string' ? absoluteFile(root, entry.resolved) : folder ? `file:${location}` : null;
      graph.addNode({
        key: location,
        name,
        version: typeof entry.version === 'string' ? entry.version : '',
        alias: !folder && folderName !== name ? folderName : null,
        resolved,
        integrity: typeof entry.integrity === 'string' ? entry.integrity : null,
        source: folder ? 'directory' : sourceOf(resolved, requestedBy.get(location) ?? []),
        hasInstallScript: entry.hasInstallScript === true,
        lockfileLine: lineOf(location),
        flags: { dev: entry.dev === true, optional: entry.optional === true, peer: entry.peer === true },
      });
    }
    // the root's edges to its workspaces come first; a dependency of the same name does not replace them
    const own = location === '' ? workspaceEdges.map((edge) => ({ edge: { name: edge.name, spec: '', type: 'prod' as const }, to: edge.to })) : [];
    const taken = new Set(own.map((item) => item.edge.name));
    for (const { edge, to } of own) graph.addEdge(keyOf(location), { name: edge.name, to, type: edge.type });
    for (const { edge, to } of edgesOf.get(location) ?? []) if (!taken.has(edge.name)) graph.addEdge(keyOf(location), { name: edge.name, to: keyOf(to), type: edge.type });
  }
  return graph;
}

/** The root's dependencies come from its package.json, as npm reads them; the lockfile's root entry when there is none. */
async function readRootManifest(root: string, lockRoot: Entry): Promise<Entry> {
  try {
    const parsed = JSON.parse(stripBom(await readFile(join(root, 'package.json'), 'utf8'))) as unknown;
    return isPlainObject(parsed) ? parsed : lockRoot;
  } catch {
    return lockRoot;
  }
}

async function workspaceFolders(root: string, manifest: Entry): Promise<string[]> {
  if (manifest.workspaces === undefined) return [];
  const { default: mapWorkspaces } = await import('@npmcli/map-workspaces');
  try {
    return [...(await mapWorkspaces({ cwd: root, pkg: manifest })).values()];
  } catch {
    return [];
  }
}

/** Arborist's edge types: optional dependencies replace regular ones, dev edges only from folders (the root, workspaces, link targets). */
function declaredEdges(entry: Entry, folder: boolean): LinearEdge[] {
  const edges = new Map<string, LinearEdge>();
  const add = (field: string, type: DependencyType) => {
    const deps = entry[field];
    if (!isPlainObject(deps)) return;
    for (const [name, spec] of Object.entries(deps)) if (typeof spec === 'string') edges.set(name, { name, spec, type });
  };
  // arborist's order: a later kind replaces an earlier edge of the same name
  add('peerDependencies', 'peer');
  add('dependencies', 'prod');
  add('optionalDependencies', 'optional');
  if (folder) add('devDependencies', 'dev');
  return [...edges.values()];
}

/** The nearest `node_modules/<name>` from a location upwards; a folder outside node_modules resolves from the root next. */
function resolveFrom(location: string, name: string, entries: Map<string, Entry>): string | null {
  for (let at: string | null = location; at !== null; at = parentOf(at)) {
    const candidate = at === '' ? `node_modules/${name}` : `${at}/node_modules/${name}`;
    if (entries.has(candidate)) return candidate;
  }
  return null;
}

function parentOf(location: string): string | null {
  if (location === '') return null;
  const nested = location.lastIndexOf('/node_modules/');
  return nested >= 0 ? location.slice(0, nested) : '';
}

/** Arborist keeps a `file:` tarball as an absolute path, resolved from the project root. */
function absoluteFile(root: string, resolved: string): string {
  return resolved.startsWith('file:') ? `file:${resolve(root, resolved.slice('file:'.length))}` : resolved;
}

function isInNodeModules(location: string): boolean {
  return location.startsWith('node_modules/') || location.includes('/node_modules/');
}

function baseName(location: string): string {
  const index = location.lastIndexOf('node_modules/');
  if (index >= 0) return location.slice(index + 'node_modules/'.length);
  return location.slice(location.lastIndexOf('/') + 1);
}
