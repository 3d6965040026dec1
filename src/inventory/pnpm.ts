import type JsYaml from 'js-yaml';
import { errorMessage } from '../model/errors.js';
import { DependencyGraph, type GraphNode } from './graph.js';
import { isPlainObject } from './manifest.js';
import type { DependencyType, PackageSource } from './model.js';
import type { LockfileReader } from './reader.js';
import { importerNameOf, normalizeFolder, parseError, splitIdent, stringRecord, yamlKeyLines } from './reader-support.js';
import { lazyRequire } from '../util/lazy-require.js';

// each reader's parser is loaded only when its lockfile is read (not on a cached inventory)
const yaml = lazyRequire<typeof JsYaml>('js-yaml');

/**
 * pnpm-lock.yaml, lockfile versions 5.x (pnpm 7), 6.x (pnpm 8) and 9.x (pnpm 9/10).
 * Package keys: `/name/1.0.0_peer@2.0.0` (5.x), `/name@1.0.0(peer@2.0.0)` (6.x), and in 9.x
 * `name@1.0.0` under `packages` (metadata) plus `name@1.0.0(peer@2.0.0)` under `snapshots`
 * (one per installed instance, holding its dependencies).
 */
export const pnpmLockfileReader: LockfileReader = {
  format: 'pnpm',
  async read({ root, lockfile, text }) {
    const data = parseYaml(text, lockfile.path);
    const version = String(data.lockfileVersion ?? '');
    const major = Number.parseFloat(version);
    if (!Number.isFinite(major) || major < 5 || major >= 10) {
      throw parseError(lockfile.path, `lockfileVersion ${JSON.stringify(data.lockfileVersion ?? null)} is not one this tool reads (5.x, 6.x or 9.x).`);
    }
    const reader = new PnpmGraphReader(lockfile.path, text, data, major);
    const graph = await reader.build(root);
    return { version, graph, notices: reader.notices() };
  },
};

type Entry = Record<string, unknown>;

function parseYaml(text: string, path: string): Entry {
  if (text.includes('\u0000')) throw parseError(path, 'is binary, not YAML.');
  let data: unknown;
  try {
    // js-yaml rather than yaml: four times faster on the largest lockfiles, which are plain YAML
    const jsYaml = yaml();
    data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  } catch (error) {
    throw parseError(path, `is not valid YAML (${firstLine(errorMessage(error))}).`);
  }
  if (data === null || data === undefined) throw parseError(path, 'is empty.');
  if (!isPlainObject(data)) throw parseError(path, 'must hold a YAML mapping.');
  return data;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

const DEP_FIELDS: Array<[string, DependencyType]> = [
  ['dependencies', 'prod'],
  ['devDependencies', 'dev'],
  ['optionalDependencies', 'optional'],
];

class PnpmGraphReader {
  private readonly graph = new DependencyGraph();
  /** Entries holding each instance's dependencies (9.x snapshots, else packages). */
  private readonly instances: Record<string, Entry | null>;
  /** Entries holding resolution and metadata. */
  private readonly metadata: Record<string, Entry | null>;
  private readonly importerPaths = new Set<string>();
  private readonly unreadable: string[] = [];
  private readonly lines: Map<string, number>;

  constructor(
    private readonly path: string,
    text: string,
    private readonly data: Entry,
    private readonly major: number,
  ) {
    this.metadata = this.section('packages');
    this.instances = major >= 9 && data.snapshots !== undefined ? this.section('snapshots') : this.metadata;
    this.lines = yamlKeyLines(text, 'packages', 2);
  }

  private section(name: string): Record<string, Entry | null> {
    const value = this.data[name];
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value)) throw parseError(this.path, `"${name}" must be a mapping.`);
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== null && !isPlainObject(entry)) throw parseError(this.path, `entry "${key}" in "${name}" must be a mapping.`);
    }
    return value as Record<string, Entry | null>;
  }

  async build(root: string): Promise<DependencyGraph> {
    const importers = this.importers();
    for (const path of importers.keys()) this.importerPaths.add(path);
    for (const path of importers.keys()) {
      this.graph.addImporter({ key: importerKey(path), path, name: await importerNameOf(root, path) });
    }
    for (const key of Object.keys(this.instances)) {
      const node = this.nodeOf(key);
      if (node) this.graph.addNode(node);
      else this.unreadable.push(key);
    }
    for (const [key, entry] of Object.entries(this.instances)) {
      if (!entry || !this.graph.nodes.has(key)) continue;
      const peerType = peerTypes(this.metadataOf(key));
      for (const [field, type] of [['dependencies', 'prod'], ['optionalDependencies', 'optional']] as const) {
        for (const [name, ref] of Object.entries(stringRecord(entry[field]))) {
          const to = this.resolveRef(name, ref, '.');
          if (to) this.graph.addEdge(key, { name, to, type: type === 'prod' ? (peerType.get(name) ?? 'prod') : type });
        }
      }
    }
    for (const [path, entry] of importers) {
      for (const [field, type] of DEP_FIELDS) {
        for (const [name, value] of Object.entries(isPlainObject(entry[field]) ? entry[field] : {})) {
          const ref = isPlainObject(value) ? value.version : value;
          if (typeof ref !== 'string' && typeof ref !== 'number') continue;
          const to = this.resolveRef(name, String(ref), path);
          if (to) this.graph.addEdge(importerKey(path), { name, to, type });
        }
      }
    }
    return this.graph;
  }

  notices(): string[] {
    const notices: string[] = [];
    if (this.unreadable.length > 0) {
      notices.push(
        `${this.path}: ${this.unreadable.length} entr${this.unreadable.length === 1 ? 'y has' : 'ies have'} no readable name and version and ` +
          `${this.unreadable.length === 1 ? 'is' : 'are'} not audited: ${this.unreadable.slice(0, 5).join(', ')}${this.unreadable.length > 5 ? ', ...' : ''}.`,
      );
    }
    const patched = Object.keys(stringRecord(this.data.patchedDependencies));
    if (patched.length > 0) {
      notices.push(
        `${this.path} applies local patches (patchedDependencies) to ${patched.join(', ')}: ` +
          'the installed files differ from the registry tarball whose integrity the lockfile records.',
      );
    }
    return notices;
  }

  /** importer path → its entry; single-project lockfiles before 9.x keep the root's dependencies at the top. */
  private importers(): Map<string, Entry> {
    const importers = new Map<string, Entry>();
    const section = this.data.importers;
    if (section !== undefined && section !== null) {
      if (!isPlainObject(section)) throw parseError(this.path, '"importers" must be a mapping.');
      for (const [path, entry] of Object.entries(section)) {
        importers.set(normalizeFolder(path), isPlainObject(entry) ? entry : {});
      }
    }
    if (!importers.has('.')) importers.set('.', section ? {} : this.data);
    return new Map([...importers].sort(([a], [b]) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The key of the instance a dependency reference points at, or an importer / linked-folder key. */
  private resolveRef(name: string, ref: string, fromImporter: string): string | null {
    if (ref.startsWith('link:')) {
      const folder = normalizeFolder(`${fromImporter}/${ref.slice(5)}`);
      if (this.importerPaths.has(folder)) return importerKey(folder);
      const key = `link:${folder}`;
      if (!this.graph.nodes.has(key)) {
        this.graph.addNode({
          key,
          name,
          version: '',
          alias: null,
          resolved: `file:${folder}`,
          integrity: null,
          source: 'directory',
          hasInstallScript: null,
          lockfileLine: null,
        });
      }
      return key;
    }
    const candidates =
      this.major >= 9
        ? [`${name}@${ref}`, ref]
        : /^\d/.test(ref)
          ? [this.major >= 6 ? `/${name}@${ref}` : `/${name}/${ref}`]
          : [ref, `/${name}@${ref}`, `${name}@${ref}`];
    return candidates.find((key) => key in this.instances) ?? null;
  }

  private metadataOf(key: string): Entry | null {
    if (this.instances === this.metadata) return this.metadata[key] ?? null;
    const base = stripPeerSuffix(key);
    return this.metadata[base] ?? this.metadata[key] ?? null;
  }

  private nodeOf(key: string): GraphNode | null {
    const meta = this.metadataOf(key) ?? {};
    const parsed = this.parseKey(key);
    const name = typeof meta.name === 'string' ? meta.name : parsed?.name;
    const version = typeof meta.version === 'string' || typeof meta.version === 'number' ? String(meta.version) : parsed?.version;
    if (!name || version === undefined) return null;
    const registryShaped = parsed?.registry === true;
    const { source, resolved } = sourceOfResolution(isPlainObject(meta.resolution) ? meta.resolution : {}, registryShaped);
    const integrity = isPlainObject(meta.resolution) && typeof meta.resolution.integrity === 'string' ? meta.resolution.integrity : null;
    const baseKey = this.instances === this.metadata ? key : stripPeerSuffix(key);
    return {
      key,
      name,
      version,
      alias: null,
      resolved,
      integrity,
      source,
      // pnpm before 9 writes requiresBuild: true for every package with install scripts
      hasInstallScript: this.major < 9 ? meta.requiresBuild === true : null,
      lockfileLine: this.lines.get(baseKey) ?? this.lines.get(key) ?? null,
      // before 9.x pnpm records dev (true: dev only; false or absent: needed by prod) and optional
      ...(this.major < 9 ? { flags: { dev: meta.dev === true, optional: meta.optional === true } } : {}),
    };
  }

  private parseKey(key: string): { name: string; version: string; registry: boolean } | null {
    if (this.major >= 6) {
      const registry = this.major < 9 ? key.startsWith('/') : true;
      const ident = splitIdent(stripPeerSuffix(key.startsWith('/') ? key.slice(1) : key));
      if (!ident) return null;
      const [name, version] = ident;
      const semverLike = /^\d+\.\d+\.\d+/.test(version);
      return { name, version: semverLike ? version : '', registry: registry && semverLike };
    }
    // 5.x: /name/1.0.0_peer, /@scope/name/1.0.0_peer, or host/name/1.0.0 for other registries
    const registry = key.startsWith('/');
    const segments = key.split('/');
    if (registry) segments.shift();
    else segments.shift(); // the host
    const scoped = segments[0]?.startsWith('@') === true;
    const name = scoped ? `${segments[0]}/${segments[1]}` : segments[0];
    const versionSegment = segments[scoped ? 2 : 1];
    if (!name || !versionSegment || segments.length !== (scoped ? 3 : 2)) return null;
    const version = versionSegment.split('_')[0] ?? '';
    if (!/^\d+\.\d+\.\d+/.test(version)) return null;
    return { name, version, registry: true };
  }
}

/** Resolved peers sit among a package's dependencies; an optional peer counts as optional, as npm counts it. */
function peerTypes(meta: Entry | null): Map<string, DependencyType> {
  const types = new Map<string, DependencyType>();
  const optional = isPlainObject(meta?.peerDependenciesMeta) ? meta.peerDependenciesMeta : {};
  for (const name of Object.keys(stringRecord(meta?.peerDependencies))) {
    const flags = optional[name];
    types.set(name, isPlainObject(flags) && flags.optional === true ? 'optional' : 'peer');
  }
  return types;
}

function importerKey(path: string): string {
  return `importer:${path}`;
}

/** `name@1.0.0(peer@2.0.0)(patch_hash=...)` → `name@1.0.0`. */
function stripPeerSuffix(key: string): string {
  const paren = key.indexOf('(');
  return paren === -1 ? key : key.slice(0, paren);
}

const GIT_ARCHIVE = /^https:\/\/(codeload\.github\.com\/|gitlab\.com\/.+\/-\/archive\/|bitbucket\.org\/.+\/get\/)/;

function sourceOfResolution(resolution: Entry, registryShaped: boolean): { source: PackageSource; resolved: string | null } {
  const tarball = typeof resolution.tarball === 'string' ? resolution.tarball : null;
  if (resolution.type === 'git' && typeof resolution.repo === 'string') {
    const commit = typeof resolution.commit === 'string' ? `#${resolution.commit}` : '';
    return { source: 'git', resolved: `${resolution.repo.startsWith('git') ? '' : 'git+'}${resolution.repo}${commit}` };
  }
  if (resolution.type === 'directory' && typeof resolution.directory === 'string') {
    return { source: 'directory', resolved: `file:${resolution.directory}` };
  }
  if (tarball?.startsWith('file:')) return { source: 'file', resolved: tarball };
  // pnpm 9 records no URL for packages from the configured registry: left unknown, never guessed
  if (registryShaped) return { source: 'registry', resolved: tarball };
  if (tarball) return { source: GIT_ARCHIVE.test(tarball) ? 'git' : 'remote', resolved: tarball };
  return { source: 'unknown', resolved: null };
}
