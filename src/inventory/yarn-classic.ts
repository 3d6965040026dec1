import type { ParseResult } from '@yarnpkg/lockfile';
import { errorMessage } from '../model/errors.js';
import { DependencyGraph, type GraphNode } from './graph.js';
import { isPlainObject } from './manifest.js';
import type { DependencyType, PackageSource } from './model.js';
import type { LockfileReader } from './reader.js';
import { parseError, splitIdent, stringRecord, yamlKeyLines } from './reader-support.js';
import { isTarballPath, sourceOf } from './source.js';
import { workspaceManifests } from './workspace-manifests.js';
import { lazyRequire } from '../util/lazy-require.js';

/**
 * yarn.lock written by yarn 1. It records no importers: the root and workspace package.json
 * files say what each one asks for, and `name@range` descriptors lead into the lockfile.
 * Several descriptors can share one entry (`ms@^2.1.1, ms@^2.1.3:`).
 */
// a CommonJS module whose exports Node's ESM loader cannot name statically; loaded only when a yarn.lock is read
const yarnLockfile = lazyRequire<typeof import('@yarnpkg/lockfile')>('@yarnpkg/lockfile');

export const yarnClassicLockfileReader: LockfileReader = {
  format: 'yarn-classic',
  async read({ root, lockfile, text }) {
    const entries = parseYarnLock(text, lockfile.path);
    const graph = new DependencyGraph();
    const lines = yamlKeyLines(text, null, 0);

    const keyOfEntry = new Map<Record<string, unknown>, string>();
    const descriptorsOf = new Map<string, string[]>();
    for (const [descriptor, entry] of Object.entries(entries)) {
      const key = keyOfEntry.get(entry) ?? descriptor;
      keyOfEntry.set(entry, key);
      descriptorsOf.set(key, [...(descriptorsOf.get(key) ?? []), descriptor]);
    }
    for (const [entry, key] of keyOfEntry) {
      graph.addNode(nodeOf(key, entry, descriptorsOf.get(key) ?? [key], lines));
    }
    const lookup = (name: string, range: string): string | null => {
      const entry = entries[`${name}@${range}`] ?? (range === '' ? entries[name] : undefined);
      return entry ? (keyOfEntry.get(entry) ?? null) : null;
    };
    for (const [entry, key] of keyOfEntry) {
      for (const [field, type] of [['dependencies', 'prod'], ['optionalDependencies', 'optional']] as const) {
        for (const [name, range] of Object.entries(stringRecord(entry[field]))) {
          const to = lookup(name, range);
          if (to) graph.addEdge(key, { name, to, type });
        }
      }
    }

    const workspaces = await workspaceManifests(root);
    const importerByName = new Map<string, string>();
    for (const { path, manifest } of workspaces) {
      const key = `importer:${path}`;
      graph.addImporter({ key, path, name: manifest.name ?? (path === '.' ? 'root' : path) });
      if (manifest.name) importerByName.set(manifest.name, key);
    }
    for (const { path, manifest } of workspaces) {
      for (const dep of manifest.declared) {
        // yarn 1 links a workspace whose version satisfies the range instead of locking it
        const to = lookup(dep.name, dep.spec) ?? importerByName.get(dep.name) ?? null;
        if (to) graph.addEdge(`importer:${path}`, { name: dep.name, to, type: dep.type as DependencyType });
      }
    }
    return { version: '1', graph };
  },
};

function parseYarnLock(text: string, path: string): Record<string, Record<string, unknown>> {
  if (text.includes('\u0000')) throw parseError(path, 'is binary, not a yarn lockfile.');
  if (/^<<<<<<< /m.test(text)) throw parseError(path, 'has unresolved merge conflict markers; resolve them (yarn install) and audit again.');
  // the parser never returns on an unterminated string, so quotes are checked first (they never span lines)
  const open = unterminatedStringLine(text);
  if (open !== null) throw parseError(path, `is not a valid yarn 1 lockfile (unterminated string on line ${open}).`);
  let result: ParseResult;
  try {
    result = yarnLockfile().parse(text, path);
  } catch (error) {
    throw parseError(path, `is not a valid yarn 1 lockfile (${errorMessage(error).replace(` in ${path}`, '')}).`);
  }
  if (!isPlainObject(result.object)) throw parseError(path, 'holds no lockfile entries.');
  for (const [descriptor, entry] of Object.entries(result.object)) {
    if (!isPlainObject(entry)) throw parseError(path, `entry "${descriptor}" must be a block of fields.`);
    if (typeof entry.version !== 'string') throw parseError(path, `entry "${descriptor}" has no version.`);
  }
  return result.object;
}

function unterminatedStringLine(text: string): number | null {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (!line.includes('"') || line.trimStart().startsWith('#')) continue;
    let quotes = 0;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\') i++;
      else if (line[i] === '"') quotes++;
    }
    if (quotes % 2 === 1) return index + 1;
  }
  return null;
}

function nodeOf(key: string, entry: Record<string, unknown>, descriptors: string[], lines: Map<string, number>): GraphNode {
  // yarn 1 writes a bare name when the range was empty
  const [requested, range] = splitIdent(key) ?? [key, ''];
  let name = requested;
  if (range.startsWith('npm:')) name = splitIdent(range.slice(4))?.[0] ?? range.slice(4);
  const specs = descriptors.map((descriptor) => splitIdent(descriptor)?.[1] ?? '');
  const rawResolved = typeof entry.resolved === 'string' ? entry.resolved : null;
  const { resolved, sha1 } = splitSha1Fragment(rawResolved);
  let integrity = typeof entry.integrity === 'string' ? entry.integrity : null;
  // yarn 1 before 1.10 wrote only the tarball's sha1 as the URL fragment
  if (!integrity && sha1) integrity = `sha1-${Buffer.from(sha1, 'hex').toString('base64')}`;
  const { source, location } = classify(resolved, specs);
  return {
    key,
    name,
    version: entry.version as string,
    alias: name !== requested ? requested : null,
    resolved: location,
    integrity,
    source,
    hasInstallScript: null,
    lockfileLine: lines.get(key) ?? null,
  };
}

function splitSha1Fragment(resolved: string | null): { resolved: string | null; sha1: string | null } {
  if (!resolved || !/^https?:\/\//.test(resolved)) return { resolved, sha1: null };
  const match = /^(.*)#([0-9a-f]{40})$/i.exec(resolved);
  return match ? { resolved: match[1] as string, sha1: match[2] as string } : { resolved, sha1: null };
}

function classify(resolved: string | null, specs: string[]): { source: PackageSource; location: string | null } {
  if (resolved) return { source: sourceOf(resolved, specs), location: resolved };
  // folders (file:, link:) are locked by their spec alone
  const local = specs.find((spec) => /^(file|link):/.test(spec));
  if (local) {
    const target = local.replace(/^(file|link):/, '');
    return { source: isTarballPath(target) ? 'file' : 'directory', location: `file:${target}` };
  }
  return { source: 'registry', location: null };
}
