import type * as YarnParsers from '@yarnpkg/parsers';
import { join } from 'node:path';
import { errorMessage } from '../model/errors.js';
import { DependencyGraph, type GraphNode } from './graph.js';
import { isPlainObject, readManifest, type Manifest } from './manifest.js';
import type { DependencyType, PackageSource } from './model.js';
import type { LockfileReader } from './reader.js';
import { importerNameOf, normalizeFolder, parseError, splitIdent, stringRecord, yamlKeyLines } from './reader-support.js';
import { isTarballPath } from './source.js';
import { lazyRequire } from '../util/lazy-require.js';

// each reader's parser is loaded only when its lockfile is read (not on a cached inventory)
const parsers = lazyRequire<typeof YarnParsers>('@yarnpkg/parsers');

/**
 * yarn.lock written by yarn 2+ ("berry"): YAML-like, `__metadata` first, entries keyed by one
 * or more descriptors (`name@npm:^1.0.0`) with the locator they resolve to in `resolution`.
 * Workspaces are entries with a `workspace:` resolution. Berry records no tarball URLs and no
 * npm integrity: `checksum` hashes yarn's own zip archive of the package.
 */
export const yarnBerryLockfileReader: LockfileReader = {
  format: 'yarn-berry',
  async read({ root, lockfile, text }) {
    const data = parseBerry(text, lockfile.path);
    const metadata = data.__metadata as Record<string, unknown>;
    const graph = new DependencyGraph();
    const lines = yamlKeyLines(text, null, 0);
    const keyOfDescriptor = new Map<string, string>();
    const workspaces = new Map<string, string>();
    let checksums = 0;

    for (const [key, entry] of Object.entries(data)) {
      if (key === '__metadata') continue;
      for (const descriptor of key.split(/,\s*/)) keyOfDescriptor.set(descriptor, key);
      const locator = locatorOf(key, entry, lockfile.path);
      if (locator.workspace !== null) {
        workspaces.set(key, locator.workspace);
        continue;
      }
      const checksum = typeof entry.checksum === 'string' ? entry.checksum : null;
      if (checksum) checksums++;
      const requested = splitIdent(key.split(/,\s*/)[0] as string)?.[0] ?? locator.name;
      graph.addNode({
        key,
        name: locator.name,
        version: String(entry.version ?? ''),
        alias: requested !== locator.name ? requested : null,
        resolved: locator.resolved,
        integrity: null,
        checksum,
        source: locator.source,
        hasInstallScript: null,
        lockfileLine: lines.get(key.split(/,\s*/)[0] as string) ?? null,
      } satisfies GraphNode);
    }

    const lookup = (name: string, range: string): string | null => {
      const key = keyOfDescriptor.get(`${name}@${range}`) ?? keyOfDescriptor.get(`${name}@npm:${range}`);
      if (!key) return null;
      const workspace = workspaces.get(key);
      return workspace !== undefined ? `importer:${workspace}` : key;
    };

    const ordered = [...workspaces].sort(([, a], [, b]) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    if (!ordered.some(([, path]) => path === '.')) ordered.unshift(['', '.']);
    for (const [key, path] of ordered) {
      graph.addImporter({ key: `importer:${path}`, path, name: await importerNameOf(root, path) });
      const entry = data[key];
      if (!entry) continue;
      const typeOf = declaredTypes(await manifestIfPresent(root, path));
      const optional = optionalNames(entry);
      for (const [name, range] of Object.entries(stringRecord(entry.dependencies))) {
        const to = lookup(name, range);
        if (to) graph.addEdge(`importer:${path}`, { name, to, type: optional.has(name) ? 'optional' : (typeOf.get(name) ?? 'prod') });
      }
    }
    for (const [key, entry] of Object.entries(data)) {
      if (key === '__metadata' || workspaces.has(key)) continue;
      const optional = optionalNames(entry);
      const peers = stringRecord(entry.peerDependencies);
      for (const [name, range] of Object.entries(stringRecord(entry.dependencies))) {
        const to = lookup(name, range);
        if (to) graph.addEdge(key, { name, to, type: optional.has(name) ? 'optional' : name in peers ? 'peer' : 'prod' });
      }
    }

    const notices =
      checksums > 0
        ? [
            `${lockfile.file} records yarn's own checksums (of yarn's zip archives), not npm integrity hashes: ` +
              `the locked content of ${checksums} package${checksums === 1 ? '' : 's'} cannot be compared with the registry's integrity, so that comparison is unknown.`,
          ]
        : [];
    return { version: String(metadata.version ?? ''), graph, notices };
  },
};

type Entry = Record<string, unknown>;

function parseBerry(text: string, path: string): Record<string, Entry> {
  if (text.includes('\u0000')) throw parseError(path, 'is binary, not a yarn lockfile.');
  if (/^<<<<<<< /m.test(text)) throw parseError(path, 'has unresolved merge conflict markers; resolve them (yarn install) and audit again.');
  let data: unknown;
  try {
    data = parsers().parseSyml(text);
  } catch (error) {
    throw parseError(path, `is not a valid yarn lockfile (${(errorMessage(error).split('\n')[0] ?? '').slice(0, 200)}).`);
  }
  if (!isPlainObject(data) || !isPlainObject(data.__metadata)) throw parseError(path, 'has no __metadata block.');
  for (const [key, entry] of Object.entries(data)) {
    if (!isPlainObject(entry)) throw parseError(path, `entry "${key}" must be a block of fields.`);
  }
  return data as Record<string, Entry>;
}

interface Locator {
  name: string;
  /** Folder of the workspace, when the entry is one. */
  workspace: string | null;
  source: PackageSource;
  resolved: string | null;
}

function locatorOf(key: string, entry: Entry, path: string): Locator {
  const resolution = typeof entry.resolution === 'string' ? entry.resolution : null;
  const ident = resolution ? splitIdent(resolution) : null;
  if (!ident) throw parseError(path, `entry "${key}" has no name@reference resolution.`);
  const [name, reference] = ident;
  if (reference.startsWith('workspace:')) return { name, workspace: normalizeFolder(reference.slice('workspace:'.length)), source: 'directory', resolved: null };
  return { name, workspace: null, ...classify(reference) };
}

/** Where a berry locator reference points: `npm:1.0.0`, `patch:<locator>#<patch>`, git, URL or folder. */
function classify(reference: string): { source: PackageSource; resolved: string | null } {
  if (reference.startsWith('npm:')) return { source: 'registry', resolved: null };
  if (reference.startsWith('patch:')) {
    const inner = decodeURIComponent(reference.slice('patch:'.length).split('#')[0] as string);
    const innerReference = splitIdent(inner)?.[1];
    return innerReference ? classify(innerReference) : { source: 'unknown', resolved: null };
  }
  const [target = '', params = ''] = reference.split('::');
  if (/^(link|portal|file):/.test(target)) {
    // file:./x.tgz#./x.tgz: the part after # repeats the path the archive was taken from
    const folder = localPath((target.replace(/^(link|portal|file):/, '').split('#')[0] as string), params);
    return { source: target.startsWith('file:') && isTarballPath(folder) ? 'file' : 'directory', resolved: `file:${folder}` };
  }
  if (/#commit=|^(git\+|git:|github:|gitlab:|bitbucket:|git@)/.test(target) || /\.git(#|$)/.test(target)) return { source: 'git', resolved: target };
  if (/^https?:\/\//.test(target)) return { source: 'remote', resolved: target };
  return { source: 'unknown', resolved: target };
}

/** A folder reference is relative to the workspace that asked for it (the `locator` parameter). */
function localPath(folder: string, params: string): string {
  const locator = new URLSearchParams(params).get('locator');
  const workspace = locator ? /@workspace:(.*)$/.exec(locator)?.[1] : undefined;
  return normalizeFolder(workspace ? `${workspace}/${folder}` : folder);
}

function optionalNames(entry: Entry): Set<string> {
  const meta = entry.dependenciesMeta;
  const names = new Set<string>();
  if (!isPlainObject(meta)) return names;
  for (const [name, value] of Object.entries(meta)) {
    if (isPlainObject(value) && (value.optional === true || value.optional === 'true')) names.add(name);
  }
  return names;
}

async function manifestIfPresent(root: string, path: string): Promise<Manifest | null> {
  try {
    return await readManifest(join(root, path), root);
  } catch {
    return null;
  }
}

/** Berry lists a workspace's dependencies and devDependencies together: its package.json tells them apart. */
function declaredTypes(manifest: Manifest | null): Map<string, DependencyType> {
  const rank: Record<DependencyType, number> = { prod: 0, optional: 1, dev: 2, peer: 3 };
  const types = new Map<string, DependencyType>();
  for (const dep of manifest?.declared ?? []) {
    const known = types.get(dep.name);
    if (!known || rank[dep.type] < rank[known]) types.set(dep.name, dep.type);
  }
  return types;
}
