import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL } from '../model/tool.js';
import type { Inventory } from './model.js';
import { isRecord } from '../util/is-record.js';
import { redactUrlsIn } from '../util/redact-url.js';
import { CacheAuth, readSealed, writeSealed } from '../util/cache-auth.js';

/** Bump when what a cached inventory means changes: older files are then ignored, never misread. */
const FORMAT = 'ai-chain-audit/inventory/2';

/** Everything a lockfile reader's result depends on, besides the files listed after the read. */
export interface InventoryKeyInput {
  root: string;
  lockfile: { file: string; format: string };
  /** The lockfile's bytes as read. */
  lockfileText: string;
  /** The root package.json's bytes as read. */
  manifestText: string;
  /** What locating the lockfile noticed (other lockfiles present, `packageManager`). */
  notices: string[];
  /** Other files the reader consults, with their bytes (null when absent), e.g. yarn.lock for arborist. */
  extra: Array<[string, string | null]>;
  /** Workspace folders found by globbing the root's `workspaces`, relative to the root. */
  workspaceFolders: string[];
}

interface Dependency {
  /** Absolute path of a file the read consulted (a workspace's or linked folder's package.json). */
  file: string;
  /** sha256 of its bytes; null when it did not exist. */
  sha256: string | null;
}

/**
 * The Inventory a lockfile reader produced, kept in `<npm cache>/_ai-chain-audit/inventories/`
 * (one file per project root) so a warm run skips parsing. The key hashes every input of the
 * read — the tool and its inventory code, the lockfile, the root package.json, the lockfiles
 * beside it, the workspace folders — and an entry also lists the package.json files the read
 * consulted, which must still hash the same. Only successful reads are stored; an unreadable,
 * foreign, older-format or malformed file counts as a miss.
 */
export class InventoryCache {
  /** `auth` authenticates each file (util/cache-auth.ts): an entry whose tag does not verify is a miss. */
  constructor(
    private readonly dir: string | null,
    private readonly auth: CacheAuth | null = CacheAuth.ephemeral(),
  ) {}

  static async keyOf(input: InventoryKeyInput): Promise<string> {
    const hash = createHash('sha256');
    const part = (value: string) => hash.update(`${Buffer.byteLength(value)}:`).update(value);
    part(FORMAT);
    part(TOOL.version);
    part(await codeFingerprint());
    part(input.root);
    part(input.lockfile.file);
    part(input.lockfile.format);
    part(input.lockfileText);
    part(input.manifestText);
    part(JSON.stringify(input.notices));
    for (const [file, text] of input.extra) {
      part(file);
      part(text === null ? 'absent' : `present:${sha256(text)}`);
    }
    part(JSON.stringify(input.workspaceFolders));
    return hash.digest('hex');
  }

  async get(root: string, key: string): Promise<Inventory | null> {
    if (!this.dir) return null;
    const payload = await readSealed(this.fileOf(root), `${FORMAT}\0${root}`, this.auth);
    if (payload === null) return null;
    let entry: unknown;
    try {
      entry = JSON.parse(payload);
    } catch {
      return null;
    }
    if (!isRecord(entry) || entry.format !== FORMAT || entry.key !== key || !Array.isArray(entry.dependencies)) return null;
    if (!isInventory(entry.inventory, root)) return null;
    const dependencies = entry.dependencies as unknown[];
    if (!dependencies.every(isDependency)) return null;
    const current = await Promise.all(dependencies.map((dependency) => fileHash(dependency.file)));
    if (current.some((hash, index) => hash !== dependencies[index]?.sha256)) return null;
    return entry.inventory;
  }

  /** Stores a successful read with the package.json files it consulted; a write failure only costs speed. */
  async set(key: string, inventory: Inventory): Promise<void> {
    if (!this.dir) return;
    try {
      const files = dependencyFiles(inventory);
      const dependencies: Dependency[] = await Promise.all(files.map(async (file) => ({ file, sha256: await fileHash(file) })));
      // stored without credentials: a lockfile may resolve from https://user:token@host/
      const payload = JSON.stringify({ format: FORMAT, key, dependencies, inventory }, (_name, value: unknown) => (typeof value === 'string' ? redactUrlsIn(value) : value));
      await writeSealed(this.fileOf(inventory.root), `${FORMAT}\0${inventory.root}`, payload, this.auth);
    } catch {
      // a cache that cannot be written only costs speed
    }
  }

  private fileOf(root: string): string {
    return join(this.dir ?? '', 'inventories', `${sha256(root)}.json`);
  }
}

/**
 * The package.json files a read consults beyond the root's: every importer's (all readers) and
 * every linked folder's (arborist reads a link target's package.json for its dependencies).
 */
function dependencyFiles(inventory: Inventory): string[] {
  const folders = new Set<string>();
  for (const importer of inventory.importers) if (importer.path !== '.') folders.add(resolve(inventory.root, importer.path));
  for (const pkg of inventory.packages) {
    if (pkg.source === 'directory' && pkg.resolved?.startsWith('file:')) folders.add(resolve(inventory.root, pkg.resolved.slice('file:'.length)));
  }
  return [...folders].sort().map((folder) => join(folder, 'package.json'));
}

let fingerprint: Promise<string> | undefined;

/** Names, sizes and times of this folder's modules, so a rebuilt reader never reuses an older reader's result. */
function codeFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const files = (await readdir(here)).filter((name) => /\.(js|ts)$/.test(name)).sort();
    const parts = await Promise.all(files.map(async (name) => {
      const info = await stat(join(here, name));
      return `${name}:${info.size}:${info.mtimeMs}`;
    }));
    return parts.join('\n');
  })().catch(() => 'unknown');
  return fingerprint;
}

async function fileHash(file: string): Promise<string | null> {
  try {
    return sha256(await readFile(file));
  } catch {
    return null;
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}


function isDependency(value: unknown): value is Dependency {
  return isRecord(value) && typeof value.file === 'string' && (value.sha256 === null || typeof value.sha256 === 'string');
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The shape later stages rely on; a hand-edited or truncated entry is a miss, not a crash. */
function isInventory(value: unknown, root: string): value is Inventory {
  if (!isRecord(value) || value.root !== root || !isString(value.name)) return false;
  const { lockfile, importers, packages, notices } = value;
  if (!isRecord(lockfile) || ![lockfile.path, lockfile.file, lockfile.format, lockfile.version].every(isString)) return false;
  if (!Array.isArray(notices) || !notices.every(isString)) return false;
  if (!Array.isArray(importers) || !importers.every((importer) => isRecord(importer) && isString(importer.path) && isString(importer.name) && Array.isArray(importer.declared))) return false;
  return (
    Array.isArray(packages) &&
    packages.every(
      (pkg) =>
        isRecord(pkg) &&
        isString(pkg.id) &&
        isString(pkg.name) &&
        isString(pkg.version) &&
        isString(pkg.source) &&
        Array.isArray(pkg.aliases) &&
        Array.isArray(pkg.workspaces) &&
        Array.isArray(pkg.paths) &&
        typeof pkg.direct === 'boolean',
    )
  );
}
