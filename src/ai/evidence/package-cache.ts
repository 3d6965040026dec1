import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CachedScan, Located, PackageEvidence, ScanCache } from './package.js';

/**
 * Bump when what the scan finds in a tarball changes (patterns, limits, what is read): older
 * files are then ignored. The catalog the scan ran with is part of every key as well.
 */
const FORMAT = 'ai-chain-audit/package-evidence/1';
const MAX_ENTRIES = 5_000;

/**
 * The AI package scan's results by tarball integrity: the bytes of a tarball never change for an
 * integrity, so neither does what the scan found in them. A warm run reads no tarball at all.
 * One JSON file beside the registry-facts cache, read once and written once; it is untrusted
 * like every cache: an entry of the wrong shape counts as absent.
 */
export class PackageEvidenceCache implements ScanCache {
  private changed = false;

  private constructor(
    private readonly file: string | null,
    private readonly entries: Record<string, unknown>,
    private readonly catalogKey: string,
  ) {}

  /** `catalog` is the catalog data the scan runs with (its fingerprint keys every entry). */
  static async open(dir: string | null, catalog: unknown): Promise<PackageEvidenceCache> {
    const file = dir ? join(dir, 'package-evidence.json') : null;
    const catalogKey = createHash('sha256').update(JSON.stringify(catalog)).digest('base64').slice(0, 16);
    let entries: Record<string, unknown> = {};
    try {
      const parsed = file ? (JSON.parse(await readFile(file, 'utf8')) as unknown) : null;
      if (isRecord(parsed) && parsed.format === FORMAT && isRecord(parsed.entries)) entries = parsed.entries;
    } catch {
      // absent or unreadable: start empty
    }
    return new PackageEvidenceCache(file, Object.assign(Object.create(null) as Record<string, unknown>, entries), catalogKey);
  }

  get(name: string, version: string, integrity: string | null): CachedScan | null {
    if (!integrity) return null;
    const entry = this.entries[this.key(name, version, integrity)];
    if (!isRecord(entry)) return null;
    if (typeof entry.error === 'string') return { error: entry.error };
    return isEvidence(entry.evidence, name, version) ? { evidence: entry.evidence } : null;
  }

  store(name: string, version: string, integrity: string | null, scan: CachedScan): void {
    if (!integrity) return;
    this.entries[this.key(name, version, integrity)] = scan;
    this.changed = true;
  }

  /** Writes the file (atomically) when this run added entries; the newest MAX_ENTRIES are kept. */
  async save(): Promise<void> {
    if (!this.file || !this.changed) return;
    const keys = Object.keys(this.entries);
    const entries = Object.fromEntries(keys.slice(Math.max(0, keys.length - MAX_ENTRIES)).map((key) => [key, this.entries[key]]));
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temporary, JSON.stringify({ format: FORMAT, entries }));
      await rename(temporary, this.file);
    } catch {
      // a cache that cannot be written only costs the next run time
    }
  }

  private key(name: string, version: string, integrity: string): string {
    return `${this.catalogKey} ${name}@${version} ${integrity}`;
  }
}

const LISTS = ['hosts', 'envReads', 'patches', 'imports', 'servesHttp', 'llmPaths', 'wrappers'] as const;

function isEvidence(value: unknown, name: string, version: string): value is PackageEvidence {
  if (!isRecord(value) || value.name !== name || value.version !== version) return false;
  if (typeof value.filesScanned !== 'number' || typeof value.truncated !== 'boolean' || !isRecord(value.installScripts)) return false;
  if (!Object.values(value.installScripts).every((command) => typeof command === 'string')) return false;
  return LISTS.every((list) => Array.isArray(value[list]) && (value[list] as unknown[]).every(isLocated));
}

function isLocated(value: unknown): value is Located<string> {
  return isRecord(value) && typeof value.value === 'string' && typeof value.file === 'string' && typeof value.line === 'number';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
