import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readSealed, writeSealed, type CacheAuth } from '../../util/cache-auth.js';
import type { CachedScan, Located, PackageEvidence, ScanCache } from './package.js';

/**
 * Bump when what the scan finds in a tarball changes (patterns, limits, what is read): older
 * files are then ignored. The catalog the scan ran with is part of every key as well.
 */
const FORMAT = 'ai-chain-audit/package-evidence/1';
const MAX_ENTRIES = 5_000;
const LABEL = 'package-evidence';

/**
 * The AI package scan's results by tarball integrity: the bytes of a tarball never change for an
 * integrity, so neither does what the scan found in them. A warm run reads no tarball at all.
 * One JSON file beside the registry-facts cache, read once and written once, sealed with the
 * user's cache key; a file that does not verify, or an entry of the wrong shape, counts as absent.
 */
export class PackageEvidenceCache implements ScanCache {
  private changed = false;

  private constructor(
    private readonly file: string | null,
    private readonly entries: Record<string, unknown>,
    private readonly catalogKey: string,
    private readonly auth: CacheAuth | null,
  ) {}

  /** `catalog` is the catalog data the scan runs with (its fingerprint keys every entry). */
  static async open(dir: string | null, catalog: unknown, auth: CacheAuth | null): Promise<PackageEvidenceCache> {
    const file = dir ? join(dir, 'package-evidence.json') : null;
    const catalogKey = createHash('sha256').update(JSON.stringify(catalog)).digest('base64').slice(0, 16);
    let entries: Record<string, unknown> = {};
    try {
      // a scan result decides AI answers: only an entry this user's key sealed is believed
      const payload = await readSealed(file, LABEL, auth);
      const parsed = payload === null ? null : (JSON.parse(payload) as unknown);
      if (isRecord(parsed) && parsed.format === FORMAT && isRecord(parsed.entries)) entries = parsed.entries;
    } catch {
      // absent, unreadable or forged: start empty
    }
    return new PackageEvidenceCache(file, Object.assign(Object.create(null) as Record<string, unknown>, entries), catalogKey, auth);
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
    await writeSealed(this.file, LABEL, JSON.stringify({ format: FORMAT, entries }), this.auth);
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
