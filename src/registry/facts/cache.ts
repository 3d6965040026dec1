import type { ResponseValidators } from '../transport/client.js';
import type { VersionFacts } from './model.js';
import { freshnessLifetimeMs, mayStore } from '../transport/http-freshness.js';
import { isRecord } from '../../util/is-record.js';
import { redactUrl } from '../../util/redact-url.js';
import { CacheAuth, writeSealed } from '../../util/cache-auth.js';
import { readSealedEntries } from '../../util/sealed-entries.js';

export { factsCachePath } from './cache-path.js';

/** Bump when what an entry means changes: older files are then ignored, never misread. */
const FORMAT = 'ai-chain-audit/registry-facts/3';
const DAY = 86_400_000;
/** Entries no run has used for this long are dropped when the file is written. */
const KEEP_UNUSED_MS = 30 * DAY;
const MAX_ENTRIES = 50_000;
const COMMA = Buffer.from(',');

/** The facts of one version; `full` when the full document's fields (publish time, publisher, scripts) are known. */
export interface CachedVersion extends VersionFacts {
  full: boolean;
}

/**
 * What one package document said, reduced to the facts the audit uses, with the HTTP freshness
 * of the abbreviated document it came from. The per-version facts that cannot change for a
 * published version (integrity, publish time, signatures, attestations, scripts, publisher) are
 * reused across revalidations; everything else is only as good as the document's freshness.
 */
export interface CachedDocument {
  /** When the registry answered (wall clock ms), and for how long the answer may be reused. */
  storedAt: number;
  freshForMs: number;
  etag: string | null;
  lastModified: string | null;
  usedAt: number;
  modified: string | null;
  latest: string | null;
  /** Every version the document lists. */
  versions: string[];
  /** Facts of the versions a run needed (locked ones and their predecessors). */
  facts: Record<string, CachedVersion>;
  /** The predecessors of each locked version (`earlierVersions`), worked out when the entry was made. */
  earlier: Record<string, string[]>;
  /**
   * Locked versions the document does not list but whose publish time its `time` still records
   * (published, then removed); null when only the abbreviated document (which has no `time`) was read.
   */
  removed: string[] | null;
}

/** The registry-facts cache file in npm's cache directory: `<cache>/_ai-chain-audit/registry-facts.json`. */
/** `<npm cache>/_ai-chain-audit/registry-facts.json`, beside npm's `_cacache`; null without a cache setting. */

/**
 * One JSON file holding every cached document's facts, read once per run and written once at
 * its end (atomically; a concurrent run's write may win, which only costs speed). A file that
 * is unreadable, not JSON or of another format counts as empty; an entry of the wrong shape
 * counts as absent.
 */
export class FactsCache {
  private changed = false;
  /** Entries known to have the right shape (checked once, or written by this run): not checked again. */
  private readonly checked = new WeakSet<object>();
  /**
   * The file's text for each entry this run stored (`"<url>":<entry JSON>`, encoded), made when it
   * was stored: on a cold run entries arrive while this thread waits for the registry, and the
   * file is then written by joining them, not by serialising and encoding megabytes after the
   * last document, when the rest of the run waits for it.
   */
  private readonly serialized = new WeakMap<object, Buffer>();

  private constructor(
    private readonly file: string | null,
    private readonly entries: Record<string, unknown>,
    private readonly clock: () => number,
    private readonly auth: CacheAuth | null,
  ) {}

  /**
   * `auth` authenticates the file (util/cache-auth.ts): a file whose tag does not verify counts as
   * empty, so a hand-edited entry is fetched again, never believed. Absent: a key for this process.
   */
  static async open(file: string | null, clock: () => number = Date.now, auth: CacheAuth | null = CacheAuth.ephemeral()): Promise<FactsCache> {
    if (!file || !auth) return new FactsCache(null, {}, clock, null);
    return new FactsCache(file, await readSealedEntries(file, FORMAT, FORMAT, auth), clock, auth);
  }

  /** The entry for a document URL, or null when there is none or it is malformed. */
  get(url: string): CachedDocument | null {
    const entry = this.entries[redactUrl(url)];
    return this.wellFormed(entry) ? entry : null;
  }

  private wellFormed(entry: unknown): entry is CachedDocument {
    if (typeof entry === 'object' && entry !== null && this.checked.has(entry)) return true;
    if (!isCachedDocument(entry)) return false;
    this.checked.add(entry);
    return true;
  }

  // entries are keyed by the URL without credentials: a token in the registry URL never reaches the file
  private put(url: string, entry: CachedDocument): void {
    const key = redactUrl(url);
    this.entries[key] = entry;
    this.checked.add(entry);
    this.serialized.set(entry, Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(entry)}`, 'utf8'));
    this.changed = true;
  }

  /** Whether the registry's answer may still be reused without asking (HTTP freshness). */
  isFresh(entry: CachedDocument): boolean {
    const age = this.clock() - entry.storedAt;
    return age >= 0 && age < entry.freshForMs;
  }

  /** Records a new answer (a 200) for a document; `no-store` answers are not kept. */
  store(url: string, validators: ResponseValidators, content: Pick<CachedDocument, 'modified' | 'latest' | 'versions' | 'facts' | 'earlier' | 'removed'>): void {
    if (!mayStore(validators)) return void delete this.entries[redactUrl(url)];
    const now = this.clock();
    this.put(url, { storedAt: now, freshForMs: freshnessLifetimeMs(validators), etag: validators.etag, lastModified: validators.lastModified, usedAt: now, ...content });
  }

  /**
   * A 304: the cached answer is current again, for the freshness the registry now gives it. An
   * entry that was still fresh (asked again only to confirm a version it lacks) gains nothing
   * worth rewriting the file for.
   */
  revalidated(url: string, entry: CachedDocument, validators: ResponseValidators): void {
    const unchanged = (validators.etag ?? entry.etag) === entry.etag && (validators.lastModified ?? entry.lastModified) === entry.lastModified;
    if (unchanged && this.isFresh(entry)) return this.used(url, entry);
    const now = this.clock();
    this.put(url, { ...entry, storedAt: now, freshForMs: freshnessLifetimeMs(validators), etag: validators.etag ?? entry.etag, lastModified: validators.lastModified ?? entry.lastModified, usedAt: now });
  }

  /** Marks an entry used (at most once a day per entry, so warm runs need not rewrite the file). */
  used(url: string, entry: CachedDocument): void {
    const now = this.clock();
    if (now - entry.usedAt < DAY) return;
    this.put(url, { ...entry, usedAt: now });
  }

  /** Writes the file if anything changed, dropping long-unused entries; a write failure only costs speed. */
  async save(): Promise<void> {
    if (!this.file || !this.changed) return;
    const now = this.clock();
    const kept = Object.entries(this.entries)
      .filter((pair): pair is [string, CachedDocument] => this.wellFormed(pair[1]) && now - pair[1].usedAt < KEEP_UNUSED_MS)
      .sort((a, b) => b[1].usedAt - a[1].usedAt)
      .slice(0, MAX_ENTRIES);
    // the bytes of JSON.stringify({ format, entries }), from each entry's own
    const parts: Buffer[] = [Buffer.from(`{"format":${JSON.stringify(FORMAT)},"entries":{`)];
    kept.forEach(([url, entry], index) => {
      if (index > 0) parts.push(COMMA);
      parts.push(this.serialized.get(entry) ?? Buffer.from(`${JSON.stringify(url)}:${JSON.stringify(entry)}`, 'utf8'));
    });
    parts.push(Buffer.from('}}'));
    await writeSealed(this.file, FORMAT, parts, this.auth);
    this.changed = false;
  }
}

function isCachedDocument(value: unknown): value is CachedDocument {
  if (!isRecord(value)) return false;
  const { storedAt, freshForMs, etag, lastModified, usedAt, modified, latest, versions, facts, earlier, removed } = value;
  return (
    (removed === null || (Array.isArray(removed) && removed.every((version) => typeof version === 'string'))) &&
    isNumber(storedAt) &&
    isNumber(freshForMs) &&
    isNumber(usedAt) &&
    isTextOrNull(etag) &&
    isTextOrNull(lastModified) &&
    isTextOrNull(modified) &&
    isTextOrNull(latest) &&
    Array.isArray(versions) &&
    versions.every((version) => typeof version === 'string') &&
    isRecord(earlier) &&
    Object.values(earlier).every((list) => Array.isArray(list) && list.every((version) => typeof version === 'string' && versions.includes(version))) &&
    isRecord(facts) &&
    Object.entries(facts).every(([version, entry]) => isCachedVersion(entry) && entry.version === version)
  );
}

function isCachedVersion(value: unknown): value is CachedVersion {
  if (!isRecord(value)) return false;
  const { version, publishedAt, integrity, tarball, deprecated, installScripts, publisher, repository, signatures, attestations, shasum, full } = value;
  return (
    typeof version === 'string' &&
    typeof full === 'boolean' &&
    [publishedAt, integrity, tarball, deprecated, publisher, repository].every(isTextOrNull) &&
    (shasum === undefined || isTextOrNull(shasum)) &&
    (installScripts === null || (isRecord(installScripts) && Object.values(installScripts).every((command) => typeof command === 'string'))) &&
    Array.isArray(signatures) &&
    signatures.every((entry) => isRecord(entry) && typeof entry.keyid === 'string' && typeof entry.sig === 'string') &&
    (attestations === null || (isRecord(attestations) && typeof attestations.url === 'string' && (attestations.provenance === undefined || (isRecord(attestations.provenance) && typeof attestations.provenance.predicateType === 'string'))))
  );
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isTextOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}
