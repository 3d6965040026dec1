import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import semver from 'semver';
import { REGISTRY_PLACEHOLDER } from './placeholders.js';

export interface Signature {
  keyid: string;
  sig: string;
}

export interface AttestationsRef {
  url: string;
  provenance: { predicateType: string };
}

export interface Dist {
  tarball: string;
  integrity?: string;
  shasum?: string;
  signatures?: Signature[];
  attestations?: AttestationsRef;
  [key: string]: unknown;
}

export interface PackumentVersion {
  name: string;
  version: string;
  dist: Dist;
  scripts?: Record<string, string>;
  deprecated?: string;
  [key: string]: unknown;
}

/** Tarballs built alongside a packument; a symbol key keeps them out of the served JSON. */
export const TARBALLS: unique symbol = Symbol.for('ai-chain-audit.test.tarballs');

export interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, PackumentVersion>;
  time?: Record<string, string>;
  modified?: string;
  [TARBALLS]?: Record<string, Buffer>;
  [key: string]: unknown;
}

export interface VersionSpec {
  version: string;
  publishedAt: string;
  integrity?: string;
  scripts?: Record<string, string>;
  deprecated?: string;
  publisher?: string;
  dependencies?: Record<string, string>;
  signatures?: Signature[];
  attestations?: AttestationsRef | null;
  tarball?: Buffer;
}

export interface PackumentOptions {
  distTags?: Record<string, string>;
  modified?: string;
  repository?: string;
}

export interface Tarball {
  data: Buffer;
  integrity: string;
  shasum: string;
}

const DEFAULT_PUBLISHER = 'test-publisher';
const NPM_TARBALL_MTIME = Date.UTC(1985, 9, 26, 8, 15) / 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Path of a tarball on the registry, e.g. `/@scope/name/-/name-1.0.0.tgz`. */
export function tarballPath(name: string, version: string): string {
  return `/${name}/-/${unscopedName(name)}-${version}.tgz`;
}

/** The `dist.attestations.url` the registry would publish, with the `@REGISTRY@` placeholder. */
export function attestationsUrl(name: string, version: string): string {
  return `${REGISTRY_PLACEHOLDER}-/npm/v1/attestations/${escapeName(name)}@${version}`;
}

export function escapeName(name: string): string {
  return name.replace('/', '%2f');
}

export function packument(name: string, versions: VersionSpec[], opts: PackumentOptions = {}): Packument {
  const manifests: Record<string, PackumentVersion> = {};
  const tarballs: Record<string, Buffer> = {};
  const time: Record<string, string> = {};
  for (const spec of versions) {
    const built = buildVersion(name, spec, opts.repository);
    manifests[spec.version] = built.manifest;
    time[spec.version] = spec.publishedAt;
    if (built.tarball) tarballs[tarballPath(name, spec.version)] = built.tarball;
  }
  const publishTimes = versions.map((v) => v.publishedAt).sort();
  const doc: Packument = {
    _id: name,
    name,
    description: describe(name),
    'dist-tags': opts.distTags ?? defaultDistTags(versions.map((v) => v.version)),
    versions: manifests,
    time: {
      created: publishTimes[0] ?? new Date(0).toISOString(),
      modified: opts.modified ?? publishTimes.at(-1) ?? new Date(0).toISOString(),
      ...time,
    },
    maintainers: uniquePublishers(versions).map(person),
    repository: repositoryField(name, opts.repository),
    license: 'MIT',
    readme: `# ${name}\n`,
    readmeFilename: 'README.md',
  };
  doc[TARBALLS] = tarballs;
  return doc;
}

/** Merges the tarballs built by `packument()` for serving. */
export function tarballsOf(packuments: Record<string, Packument>): Record<string, Buffer> {
  return Object.assign({}, ...Object.values(packuments).map((doc) => doc[TARBALLS] ?? {})) as Record<string, Buffer>;
}

export async function makeTarball(name: string, version: string, files: Record<string, string> = {}): Promise<Tarball> {
  return makeTarballSync(name, version, files);
}

export function makeTarballSync(name: string, version: string, files: Record<string, string> = {}): Tarball {
  const contents: Record<string, string> = {
    'package.json': `${JSON.stringify({ name, version, description: describe(name), main: 'index.js', license: 'MIT' }, null, 2)}\n`,
    ...files,
  };
  const entries = Object.entries(contents).map(([path, text]) => tarEntry(`package/${path}`, Buffer.from(text)));
  const data = gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
  return { data, integrity: `sha512-${digest('sha512', data, 'base64')}`, shasum: digest('sha1', data, 'hex') };
}

export interface LockfilePackumentOptions {
  publishedAt: (name: string, version: string) => string;
}

/**
 * One packument per registry package in an npm v2/v3 lockfile: every locked version
 * keeps the lockfile's integrity, and one earlier version is published 30 days before.
 */
export function packumentsFromLockfile(lockfileJson: object, opts: LockfilePackumentOptions): Record<string, Packument> {
  const lockedByName = new Map<string, Map<string, string | undefined>>();
  for (const [path, entry] of Object.entries(lockfilePackages(lockfileJson))) {
    const locked = registryPackage(path, entry);
    if (!locked) continue;
    const versions = lockedByName.get(locked.name) ?? new Map<string, string | undefined>();
    versions.set(locked.version, locked.integrity);
    lockedByName.set(locked.name, versions);
  }
  const docs: Record<string, Packument> = {};
  for (const [name, versions] of lockedByName) {
    docs[name] = packument(name, lockedVersionSpecs(name, versions, opts.publishedAt));
  }
  return docs;
}

interface LockfileEntry {
  name?: unknown;
  version?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  link?: unknown;
  inBundle?: unknown;
}

interface LockedPackage {
  name: string;
  version: string;
  integrity: string | undefined;
}

function lockfilePackages(lockfileJson: object): Record<string, LockfileEntry> {
  const packages = (lockfileJson as { packages?: unknown }).packages;
  return isRecord(packages) ? (packages as Record<string, LockfileEntry>) : {};
}

function registryPackage(path: string, entry: LockfileEntry): LockedPackage | null {
  if (path === '' || !isRecord(entry) || entry.link === true || entry.inBundle === true) return null;
  if (typeof entry.version !== 'string' || !semver.valid(entry.version)) return null;
  if (entry.resolved !== undefined && !isRegistryTarballUrl(entry.resolved)) return null;
  const name = typeof entry.name === 'string' ? entry.name : nameFromPath(path);
  if (!name) return null;
  const integrity = typeof entry.integrity === 'string' ? entry.integrity : undefined;
  return { name, version: entry.version, integrity };
}

function isRegistryTarballUrl(resolved: unknown): boolean {
  return typeof resolved === 'string' && /^https?:\/\/.+\/-\/[^/]+\.tgz$/.test(resolved);
}

function nameFromPath(path: string): string | null {
  const marker = 'node_modules/';
  const index = path.lastIndexOf(marker);
  return index === -1 ? null : path.slice(index + marker.length) || null;
}

function lockedVersionSpecs(
  name: string,
  versions: Map<string, string | undefined>,
  publishedAt: (name: string, version: string) => string,
): VersionSpec[] {
  const specs: VersionSpec[] = [...versions].map(([version, integrity]) => ({
    version,
    publishedAt: publishedAt(name, version),
    ...(integrity ? { integrity } : {}),
  }));
  const oldest = [...versions.keys()].sort(semver.compare)[0];
  const earliestTime = Math.min(...specs.map((s) => Date.parse(s.publishedAt)));
  const earlier = oldest ? earlierVersion(oldest) : null;
  if (earlier && !versions.has(earlier)) {
    specs.unshift({ version: earlier, publishedAt: new Date(earliestTime - 30 * DAY_MS).toISOString() });
  }
  return specs;
}

function earlierVersion(version: string): string | null {
  const parsed = semver.parse(version);
  if (!parsed) return null;
  const { major, minor, patch } = parsed;
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `${major}.${minor - 1}.0`;
  if (major > 0) return `${major - 1}.0.0`;
  return parsed.prerelease.length > 0 ? null : '0.0.0-0';
}

function buildVersion(name: string, spec: VersionSpec, repository: string | undefined): { manifest: PackumentVersion; tarball: Buffer | null } {
  const tarball = spec.tarball ?? (spec.integrity ? null : makeTarballSync(name, spec.version).data);
  const publisher = spec.publisher ?? DEFAULT_PUBLISHER;
  const manifest: PackumentVersion = {
    name,
    version: spec.version,
    description: describe(name),
    main: 'index.js',
    license: 'MIT',
    ...(spec.scripts ? { scripts: spec.scripts } : {}),
    ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
    ...(spec.deprecated ? { deprecated: spec.deprecated } : {}),
    repository: repositoryField(name, repository),
    _id: `${name}@${spec.version}`,
    _npmUser: person(publisher),
    maintainers: [person(publisher)],
    _nodeVersion: '20.17.0',
    _npmVersion: '10.8.2',
    _hasShrinkwrap: false,
    dist: buildDist(name, spec, tarball),
  };
  return { manifest, tarball };
}

function buildDist(name: string, spec: VersionSpec, tarball: Buffer | null): Dist {
  return {
    integrity: spec.integrity ?? `sha512-${digest('sha512', tarball ?? Buffer.alloc(0), 'base64')}`,
    shasum: tarball ? digest('sha1', tarball, 'hex') : shasumFromIntegrity(spec.integrity, `${name}@${spec.version}`),
    tarball: `${REGISTRY_PLACEHOLDER}${tarballPath(name, spec.version).slice(1)}`,
    ...(spec.signatures ? { signatures: spec.signatures } : {}),
    ...(spec.attestations ? { attestations: spec.attestations } : {}),
  };
}

function shasumFromIntegrity(integrity: string | undefined, fallbackSeed: string): string {
  const sha1 = integrity?.split(/\s+/).find((hash) => hash.startsWith('sha1-'));
  if (sha1) return Buffer.from(sha1.slice('sha1-'.length), 'base64').toString('hex');
  return digest('sha1', Buffer.from(fallbackSeed), 'hex');
}

function defaultDistTags(versions: string[]): Record<string, string> {
  const valid = versions.filter((v) => semver.valid(v)).sort(semver.compare);
  const stable = valid.filter((v) => !semver.prerelease(v));
  const latest = stable.at(-1) ?? valid.at(-1) ?? versions.at(-1);
  return latest ? { latest } : {};
}

function uniquePublishers(versions: VersionSpec[]): string[] {
  const names = new Set(versions.map((v) => v.publisher ?? DEFAULT_PUBLISHER));
  return names.size > 0 ? [...names] : [DEFAULT_PUBLISHER];
}

function person(name: string): { name: string; email: string } {
  return { name, email: `${name}@example.com` };
}

function repositoryField(name: string, repository: string | undefined): { type: string; url: string } {
  return { type: 'git', url: repository ?? `git+https://github.com/example/${unscopedName(name)}.git` };
}

function describe(name: string): string {
  return `${name} (test fixture)`;
}

function unscopedName(name: string): string {
  return name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
}

function digest(algorithm: 'sha1' | 'sha512', data: Buffer, encoding: 'hex' | 'base64'): string {
  return createHash(algorithm).update(data).digest(encoding);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tarEntry(path: string, content: Buffer): Buffer {
  const padding = (512 - (content.length % 512)) % 512;
  return Buffer.concat([tarHeader(path, content.length), content, Buffer.alloc(padding)]);
}

function tarHeader(path: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const { prefix, name } = splitTarPath(path);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, 0o644, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeOctal(header, size, 124, 12);
  writeOctal(header, NPM_TARBALL_MTIME, 136, 12);
  header.fill(' ', 148, 156);
  header.write('0', 156, 'latin1');
  header.write('ustar\u000000', 257, 'latin1');
  header.write(prefix, 345, 155, 'utf8');
  writeOctal(header, header.reduce((sum, byte) => sum + byte, 0), 148, 7);
  return header;
}

function splitTarPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`path too long for a ustar header: ${path}`);
}

function writeOctal(buffer: Buffer, value: number, offset: number, length: number): void {
  buffer.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}
