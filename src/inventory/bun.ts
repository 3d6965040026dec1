import type * as JsoncParser from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import { JsonKeyLines } from '../util/json-lines.js';
import { DependencyGraph } from './graph.js';
import { isPlainObject } from './manifest.js';
import type { DependencyType, PackageSource } from './model.js';
import type { LockfileReader } from './reader.js';
import { normalizeFolder, parseError, splitIdent, stringRecord } from './reader-support.js';
import { isTarballPath } from './source.js';
import { lazyRequire } from '../util/lazy-require.js';

// each reader's parser is loaded only when its lockfile is read (not on a cached inventory)
const jsonc = lazyRequire<typeof JsoncParser>('jsonc-parser');

/**
 * bun.lock, bun's text lockfile (JSONC with trailing commas). `packages` is keyed by install
 * location: `ms` at the top, `debug/ms` nested under debug, `@fx/app/ms` under a workspace;
 * each value is a tuple `[ident, registry, info, integrity]` for registry packages and
 * `[ident, info, ...]` for git, tarball and folder ones. A dependency resolves like
 * node_modules does: the nearest enclosing location that holds the name.
 */
export const bunLockfileReader: LockfileReader = {
  format: 'bun',
  async read({ lockfile, text }) {
    const data = parseBunLock(text, lockfile.path);
    const graph = new DependencyGraph();
    const lines = new JsonKeyLines(text, 2);
    const packages = data.packages as Record<string, unknown[]>;
    const workspaces = isPlainObject(data.workspaces) ? data.workspaces : { '': {} };
    const workspaceKeyByName = new Map<string, string>();

    for (const [key, tuple] of Object.entries(packages)) {
      const ident = splitIdent(tuple[0] as string) as [string, string];
      let [name, reference] = ident;
      if (reference.startsWith('workspace:')) {
        workspaceKeyByName.set(key, `importer:${normalizeFolder(reference.slice('workspace:'.length))}`);
        continue;
      }
      if (reference.startsWith('npm:')) [name, reference] = splitIdent(reference.slice(4)) ?? [name, reference];
      const { source, version, resolved } = classify(reference, tuple);
      const integrity = tuple.slice(2).find((item): item is string => typeof item === 'string' && /^sha(1|256|384|512)-/.test(item)) ?? null;
      graph.addNode({
        key,
        name,
        version,
        alias: lastSegment(key) !== name ? lastSegment(key) : null,
        resolved,
        integrity,
        source,
        hasInstallScript: null,
        lockfileLine: lines.line('packages', key),
      });
    }

    const resolve = (from: string[], name: string): string | null => {
      const segments = [...from];
      for (;;) {
        const candidate = [...segments, name].join('/');
        if (candidate in packages) return workspaceKeyByName.get(candidate) ?? candidate;
        if (segments.length === 0) return null;
        segments.pop();
      }
    };

    for (const [key, tuple] of Object.entries(packages)) {
      if (workspaceKeyByName.has(key)) continue;
      const info = tuple.find((item, index) => index > 0 && isPlainObject(item)) as Record<string, unknown> | undefined;
      if (!info) continue;
      const optionalPeers = new Set(Array.isArray(info.optionalPeers) ? info.optionalPeers : []);
      const segments = segmentsOf(key);
      for (const [field, type] of EDGE_FIELDS) {
        for (const name of Object.keys(stringRecord(info[field]))) {
          const to = resolve(segments, name);
          // npm counts an optional peer as optional
          if (to) graph.addEdge(key, { name, to, type: type === 'peer' && optionalPeers.has(name) ? 'optional' : type });
        }
      }
    }

    const importers = Object.entries(workspaces).map(([path, entry]) => ({ path: normalizeFolder(path), entry: isPlainObject(entry) ? entry : {} }));
    importers.sort((a, b) => (a.path === '.' ? -1 : b.path === '.' ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (importers[0]?.path !== '.') importers.unshift({ path: '.', entry: {} });
    for (const { path, entry } of importers) {
      const name = typeof entry.name === 'string' ? entry.name : path;
      graph.addImporter({ key: `importer:${path}`, path, name });
      const from = path === '.' ? [] : [name];
      for (const [field, type] of IMPORTER_FIELDS) {
        for (const dep of Object.keys(stringRecord(entry[field]))) {
          const to = resolve(from, dep);
          if (to && to !== `importer:${path}`) graph.addEdge(`importer:${path}`, { name: dep, to, type });
        }
      }
    }
    return { version: String(data.lockfileVersion), graph };
  },
};

const EDGE_FIELDS: Array<[string, DependencyType]> = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];

const IMPORTER_FIELDS: Array<[string, DependencyType]> = [
  ['dependencies', 'prod'],
  ['devDependencies', 'dev'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];

function parseBunLock(text: string, path: string): Record<string, unknown> {
  if (text.includes('\u0000')) throw parseError(path, 'is binary; bun.lock must be bun\'s text lockfile.');
  const errors: ParseError[] = [];
  const { parse, printParseErrorCode } = jsonc();
  const data: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split('\n').length;
    throw parseError(path, `is not valid JSONC (${printParseErrorCode(first.error)} at line ${line}).`);
  }
  if (!isPlainObject(data)) throw parseError(path, 'must hold a JSON object.');
  if (typeof data.lockfileVersion !== 'number') throw parseError(path, 'has no numeric lockfileVersion.');
  const packages = data.packages ?? {};
  if (!isPlainObject(packages)) throw parseError(path, '"packages" must be an object.');
  for (const [key, tuple] of Object.entries(packages)) {
    if (!Array.isArray(tuple) || typeof tuple[0] !== 'string' || !splitIdent(tuple[0])) {
      throw parseError(path, `package "${key}" must be an array starting with a "name@version" string.`);
    }
  }
  if (data.workspaces !== undefined && !isPlainObject(data.workspaces)) throw parseError(path, '"workspaces" must be an object.');
  return { ...data, packages };
}

function classify(reference: string, tuple: unknown[]): { source: PackageSource; version: string; resolved: string | null } {
  if (/^\d+\.\d+\.\d+/.test(reference)) {
    // the second slot holds the registry a package came from; empty for the default registry
    const registry = typeof tuple[1] === 'string' && tuple[1] !== '' ? tuple[1] : null;
    return { source: 'registry', version: reference, resolved: registry };
  }
  // bun does not record the version of a git, tarball or folder dependency
  if (/^(github:|gitlab:|bitbucket:|git\+|git:|git@)/.test(reference)) return { source: 'git', version: '', resolved: reference };
  if (/^(file|link):/.test(reference)) {
    const target = reference.replace(/^(file|link):/, '');
    return { source: isTarballPath(target) ? 'file' : 'directory', version: '', resolved: `file:${target}` };
  }
  if (/^https?:\/\//.test(reference)) return { source: 'remote', version: '', resolved: reference };
  return { source: 'unknown', version: '', resolved: reference };
}

/** `@fx/app/debug/@types/node` → ['@fx/app', 'debug', '@types/node']. */
function segmentsOf(key: string): string[] {
  const parts = key.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part.startsWith('@') && i + 1 < parts.length) out.push(`${part}/${parts[++i]}`);
    else out.push(part);
  }
  return out;
}

function lastSegment(key: string): string {
  return segmentsOf(key).pop() ?? key;
}
