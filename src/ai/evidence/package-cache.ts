import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CacheAuth } from '../../util/cache-auth.js';
import { isRecord } from '../../util/is-record.js';
import { SealedEntries } from '../../util/sealed-entries.js';
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
  private constructor(
    private readonly entries: SealedEntries,
    private readonly catalogKey: string,
  ) {}

  /** `catalog` is the catalog data the scan runs with (its fingerprint keys every entry). */
  static async open(dir: string | null, catalog: unknown, auth: CacheAuth | null): Promise<PackageEvidenceCache> {
    const catalogKey = createHash('sha256').update(JSON.stringify(catalog)).digest('base64').slice(0, 16);
    // a scan result decides AI answers: only an entry this user's key sealed is believed
    return new PackageEvidenceCache(await SealedEntries.open(dir ? join(dir, 'package-evidence.json') : null, LABEL, FORMAT, auth), catalogKey);
  }

  get(name: string, version: string, integrity: string | null): CachedScan | null {
    if (!integrity) return null;
    const entry = this.entries.get(this.key(name, version, integrity));
    if (!isRecord(entry)) return null;
    if (typeof entry.error === 'string') return { error: entry.error };
    return isEvidence(entry.evidence, name, version) ? { evidence: entry.evidence } : null;
  }

  store(name: string, version: string, integrity: string | null, scan: CachedScan): void {
    if (integrity) this.entries.set(this.key(name, version, integrity), scan);
  }

  /** Writes the file (atomically) when this run added entries; the newest MAX_ENTRIES are kept. */
  save(): Promise<void> {
    return this.entries.save(MAX_ENTRIES);
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
