import type { RetryPolicy } from '../registry/transport/http-get.js';
import { BodyTooLargeError, httpGet, type HttpAnswer } from '../registry/transport/http-get.js';
import { mayStore } from '../registry/transport/http-freshness.js';
import { Limiter } from '../registry/transport/limit.js';
import { errorMessage } from '../model/errors.js';
import { CacheAuth } from '../util/cache-auth.js';
import { HttpCache, type CachedResponse } from '../registry/transport/http-cache.js';
import { normalizeName, versionOfFilename } from './names.js';
import { credentialsOf, redactUrl } from './redact.js';

/** PEP 691's JSON serialisation of the Simple API, version 1. */
export const SIMPLE_JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

export type IndexFault = 'not-found' | 'http' | 'network' | 'timeout' | 'malformed' | 'oversized' | 'not-cached' | 'unsupported';

/** A fetch's outcome as data; `url` never carries credentials. */
export type IndexResult<T> =
  | { ok: true; value: T; url: string; fromCache: boolean }
  | { ok: false; fault: IndexFault; message: string; url: string; status: number | null };

export interface IndexFile {
  filename: string;
  url: string;
  sha256: string | null;
  /** PEP 700 `upload-time` (ISO 8601); null when the index does not give it. */
  uploadTime: string | null;
  /** PEP 592: false, or the yank with its reason (null when none was given). */
  yanked: false | { reason: string | null };
  /** PEP 740 provenance object URL, absolute; null when the index lists none. */
  provenanceUrl: string | null;
  /** Version from the filename; null when it cannot be read. */
  version: string | null;
}

export interface ProjectPage {
  name: string;
  url: string;
  apiVersion: string | null;
  files: IndexFile[];
  /** PEP 700 `versions` (every release, incl. those without files); null on older indexes. */
  versions: string[] | null;
}

export interface IndexClientOptions {
  cacheDir: string | null;
  /** Seals the disk cache with the user's key (default: a key for this process only). */
  cacheAuth?: CacheAuth | null;
  /** Cache only: anything not cached is `not-cached`. */
  offline: boolean;
  concurrency?: number;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Upper bound for one response body. */
  maxBytes?: number;
  /** An http(s) agent (proxy, TLS); the default agent when absent. */
  agent?: unknown;
  /** Wall clock for HTTP freshness (not the audit's `--now`). */
  clock?: () => number;
  signal?: AbortSignal;
}

/** npm's defaults (fetch-retries 2, factor 10, 10 s to 60 s), so both sides behave alike. */
const DEFAULT_RETRY: RetryPolicy = { retries: 2, factor: 10, minTimeout: 10_000, maxTimeout: 60_000 };
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** A PEP 691 JSON Simple API client with npm-like retries, timeouts, a concurrency limit and an HTTP-fresh disk cache. */
export class IndexClient {
  private readonly limiter: Limiter;
  private readonly cache: HttpCache;
  private readonly clock: () => number;
  /** One request per URL and run, however many pins ask for the same project. */
  private readonly inFlight = new Map<string, Promise<IndexResult<string>>>();

  constructor(private readonly options: IndexClientOptions) {
    this.limiter = new Limiter(options.concurrency ?? 8);
    this.cache = new HttpCache(options.cacheDir, options.cacheAuth === undefined ? CacheAuth.ephemeral() : options.cacheAuth, 'pypi-response');
    this.clock = options.clock ?? Date.now;
  }

  /** `GET <index>/<normalised name>/` as PEP 691 JSON. */
  async projectPage(indexUrl: string, name: string): Promise<IndexResult<ProjectPage>> {
    const normalized = normalizeName(name);
    const base = indexUrl.endsWith('/') ? indexUrl : `${indexUrl}/`;
    let pageUrl: string;
    try {
      pageUrl = new URL(`${encodeURIComponent(normalized)}/`, base).href;
    } catch {
      return { ok: false, fault: 'unsupported', message: `the index URL ${redactUrl(indexUrl)} is not a URL`, url: redactUrl(indexUrl), status: null };
    }
    const fetched = await this.get(pageUrl, SIMPLE_JSON_TYPE, (contentType) => contentType === null || contentType.startsWith(SIMPLE_JSON_TYPE) || contentType.startsWith('application/json'));
    if (!fetched.ok) return fetched;
    const page = parseProjectPage(fetched.value, credentialsOf(pageUrl).url, normalized);
    if (typeof page === 'string') return { ok: false, fault: 'malformed', message: `${fetched.url} is not a PEP 691 project page: ${page}`, url: fetched.url, status: 200 };
    return { ok: true, value: page, url: fetched.url, fromCache: fetched.fromCache };
  }

  /** A JSON document (a PEP 740 provenance object); credentials are sent only to the index's own origin. */
  async json(url: string, credentialsFrom: string | null): Promise<IndexResult<unknown>> {
    const withCredentials = credentialsFrom && sameOrigin(url, credentialsFrom) ? withUserInfo(url, credentialsFrom) : url;
    const fetched = await this.get(withCredentials, 'application/json', (contentType) => contentType === null || /json/.test(contentType));
    if (!fetched.ok) return fetched;
    try {
      return { ok: true, value: JSON.parse(fetched.value) as unknown, url: fetched.url, fromCache: fetched.fromCache };
    } catch (error) {
      return { ok: false, fault: 'malformed', message: `${fetched.url} is not JSON: ${errorMessage(error)}`, url: fetched.url, status: 200 };
    }
  }

  private get(rawUrl: string, accept: string, acceptable: (contentType: string | null) => boolean): Promise<IndexResult<string>> {
    const key = `${accept}\n${rawUrl}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchOnce(rawUrl, accept, acceptable);
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async fetchOnce(rawUrl: string, accept: string, acceptable: (contentType: string | null) => boolean): Promise<IndexResult<string>> {
    const { url, authorization } = credentialsOf(rawUrl);
    const shown = redactUrl(url);
    const cached = await this.cache.get(url, accept);
    if (this.options.offline) {
      return cached ? { ok: true, value: cached.body, url: shown, fromCache: true } : { ok: false, fault: 'not-cached', message: `${shown} is not cached (offline)`, url: shown, status: null };
    }
    if (cached && HttpCache.isFresh(cached, this.clock())) return { ok: true, value: cached.body, url: shown, fromCache: true };
    const headers: Record<string, string> = { accept, 'user-agent': 'ai-chain-audit' };
    if (authorization) headers.authorization = authorization;
    if (cached?.validators.etag) headers['if-none-match'] = cached.validators.etag;
    if (cached?.validators.lastModified) headers['if-modified-since'] = cached.validators.lastModified;
    let answer: HttpAnswer;
    try {
      answer = await this.limiter.run(() =>
        httpGet(url, {
          agent: this.options.agent,
          headers,
          timeoutMs: this.options.timeoutMs ?? 30_000,
          retry: this.options.retry ?? DEFAULT_RETRY,
          maxBytes: this.options.maxBytes ?? DEFAULT_MAX_BYTES,
          signal: this.options.signal ?? new AbortController().signal,
        }),
      );
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { ok: false, fault: 'oversized', message: `${shown} is larger than ${error.maxBytes} bytes`, url: shown, status: null };
      const timeout = (error as { type?: string }).type === 'request-timeout';
      return { ok: false, fault: timeout ? 'timeout' : 'network', message: `${shown}: ${redactText(errorMessage(error), url)}`, url: shown, status: null };
    }
    const validators = {
      cacheControl: answer.header('cache-control'),
      age: answer.header('age'),
      etag: answer.header('etag'),
      lastModified: answer.header('last-modified'),
    };
    if (answer.status === 304 && cached) {
      await this.cache.set(url, accept, HttpCache.revalidated(cached, validators, this.clock()));
      return { ok: true, value: cached.body, url: shown, fromCache: true };
    }
    if (answer.status === 404 || answer.status === 410) return { ok: false, fault: 'not-found', message: `${shown} answered ${answer.status}`, url: shown, status: answer.status };
    if (answer.status === 406) return { ok: false, fault: 'unsupported', message: `${shown} does not serve ${accept} (406): the index does not implement PEP 691 JSON`, url: shown, status: 406 };
    if (answer.status !== 200) return { ok: false, fault: 'http', message: `${shown} answered ${answer.status}`, url: shown, status: answer.status };
    const contentType = answer.header('content-type')?.toLowerCase() ?? null;
    if (!acceptable(contentType)) {
      return { ok: false, fault: 'unsupported', message: `${shown} answered ${contentType ?? 'no content type'}, not ${accept}: the index does not implement PEP 691 JSON`, url: shown, status: 200 };
    }
    const body = answer.body.toString('utf8');
    if (mayStore(validators)) {
      const entry: CachedResponse = { url, contentType, validators, storedAt: this.clock(), body };
      await this.cache.set(url, accept, entry).catch(() => undefined);
    }
    return { ok: true, value: body, url: shown, fromCache: false };
  }
}

function redactText(text: string, url: string): string {
  return text.split(url).join(redactUrl(url));
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function withUserInfo(url: string, from: string): string {
  const target = new URL(url);
  const source = new URL(from);
  target.username = source.username;
  target.password = source.password;
  return target.href;
}

/** Reads a PEP 691 project page; a string says why it is not one. */
export function parseProjectPage(text: string, pageUrl: string, normalized: string): ProjectPage | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return `not JSON (${errorMessage(error)})`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not a JSON object';
  const page = doc as Record<string, unknown>;
  const meta = typeof page.meta === 'object' && page.meta !== null ? (page.meta as Record<string, unknown>) : {};
  const apiVersion = typeof meta['api-version'] === 'string' ? meta['api-version'] : null;
  if (apiVersion !== null && !apiVersion.startsWith('1.')) return `unsupported api-version ${apiVersion}`;
  if (!Array.isArray(page.files)) return 'no files array';
  const files: IndexFile[] = [];
  for (const raw of page.files) {
    if (typeof raw !== 'object' || raw === null) return 'a files entry is not an object';
    const entry = raw as Record<string, unknown>;
    if (typeof entry.filename !== 'string' || typeof entry.url !== 'string') return 'a files entry has no filename or url';
    const hashes = typeof entry.hashes === 'object' && entry.hashes !== null ? (entry.hashes as Record<string, unknown>) : {};
    const sha256 = typeof hashes.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(hashes.sha256) ? `sha256:${hashes.sha256.toLowerCase()}` : null;
    const yanked = entry.yanked === true ? { reason: null } : typeof entry.yanked === 'string' ? { reason: entry.yanked || null } : false;
    let url: string;
    let provenanceUrl: string | null = null;
    try {
      url = new URL(entry.url, pageUrl).href;
      if (typeof entry.provenance === 'string' && entry.provenance) provenanceUrl = new URL(entry.provenance, pageUrl).href;
    } catch {
      return `a files entry has an unreadable URL`;
    }
    files.push({
      filename: entry.filename,
      url,
      sha256,
      uploadTime: typeof entry['upload-time'] === 'string' && !Number.isNaN(Date.parse(entry['upload-time'])) ? entry['upload-time'] : null,
      yanked,
      provenanceUrl,
      version: versionOfFilename(entry.filename, normalized),
    });
  }
  const versions = Array.isArray(page.versions) ? page.versions.filter((version): version is string => typeof version === 'string') : null;
  return { name: typeof page.name === 'string' ? page.name : normalized, url: redactUrl(pageUrl), apiVersion, files, versions };
}
