import { setMaxListeners } from 'node:events';
import { createSecureContext, type SecureContext } from 'node:tls';
import type agentModule from '@npmcli/agent';
import type npmFetchModule from 'npm-registry-fetch';
import type { FetchResponse, NpmAuth } from 'npm-registry-fetch';
import type getAuthFunction from 'npm-registry-fetch/lib/auth.js';
import { lazyRequire } from '../../util/lazy-require.js';
import { errorMessage } from '../../model/errors.js';
import { ByteBudget } from './byte-budget.js';
import { BodyTooLargeError, httpGet, isStall, MAX_STALL_RETRIES, type HttpAnswer, type HttpGetOptions } from './http-get.js';
import { Limiter } from './limit.js';
import type { NpmConfig } from '../../config/npm-config.js';
import { isRecord } from '../../util/is-record.js';
import { redactUrl, redactUrlsIn } from '../../util/redact-url.js';
import { sameOrigin } from './origin.js';

// npm-registry-fetch brings make-fetch-happen, cacache and minipass-fetch: loaded when a request
// goes through npm's HTTP cache (tarballs, documents npm cached), which many warm runs never make
const npmFetch = lazyRequire<typeof npmFetchModule>('npm-registry-fetch');
// its proxy agents (and their SOCKS and IP-address parsers) load at the first request, not before the prefetch starts
const agents = lazyRequire<typeof agentModule>('@npmcli/agent');
// its credential lookup brings npm's spec parser and all of semver: loaded when the first request is sent
const getAuth = lazyRequire<typeof getAuthFunction>('npm-registry-fetch/lib/auth.js');

export const ABBREVIATED_TYPE = 'application/vnd.npm.install-v1+json';
const ABBREVIATED_ACCEPT = `${ABBREVIATED_TYPE}; q=1.0, application/json; q=0.8, */*`;
const FULL_ACCEPT = 'application/json';

export type DocumentKind = 'abbreviated' | 'full';

export type FetchErrorKind =
  | 'not-found' // 404 / 410
  | 'http' // any other error status, after retries
  | 'network' // no HTTP answer at all (refused, reset, timeout, DNS), after retries
  | 'malformed' // the body is not the JSON document expected
  | 'oversized' // the body is larger than the limit
  | 'integrity' // a tarball does not match the integrity asked for
  | 'not-cached' // offline and not in the cache
  | 'aborted';

/** A failed fetch, classified so callers can tell "removed" from "could not ask". */
export class RegistryFetchError extends Error {
  /** The URL asked for, without credentials (it ends up in messages and reports). */
  readonly url: string;

  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    url: string,
    readonly status: number | null = null,
  ) {
    super(redactUrlsIn(message));
    this.name = 'RegistryFetchError';
    this.url = redactUrl(url);
  }
}

export interface Fetched<T> {
  body: T;
  url: string;
  /** make-fetch-happen's `x-local-cache-status`: `hit` means no request reached the registry. */
  cache: string;
  bytes: number;
  /** 200, or 304 for a conditional request whose cached copy is still current (then `body` is empty). */
  status: number;
  /** The response's caching headers, for callers keeping their own cache. */
  validators: ResponseValidators;
  /** Set when the caller had the body held (`holdBody`): `body` is empty and this decodes it, or throws `RegistryFetchError`. */
  decode?: () => Buffer;
}

export interface ResponseValidators {
  cacheControl: string | null;
  age: string | null;
  etag: string | null;
  lastModified: string | null;
}

/** Straight from the registry, past npm's HTTP cache: `etag`/`lastModified` make it a conditional request. */
export interface DirectRequest {
  etag?: string | null;
  lastModified?: string | null;
  /**
   * Asked with a 200's caching headers before the body arrives: true holds the body undecoded
   * (`Fetched.decode`), for a caller the headers may tell it needs another document instead.
   * Only requests that go past npm-registry-fetch hold bodies.
   */
  holdBody?: (validators: ResponseValidators) => boolean;
}

export interface RegistryClientOptions {
  /** Cache only (npm's `offline`): anything not cached fails with kind `not-cached`. */
  offline?: boolean;
  /** Requests in flight at once (also the socket pool size). */
  concurrency?: number;
  /** Upper bound for any JSON document; a larger body fails that fetch, not the run. */
  maxDocumentBytes?: number;
  /** Bytes all documents being received may hold together before a new one waits (default 96 MiB). */
  documentBudgetBytes?: number;
  /** How long an attempt may receive nothing before it counts as stalled (`--fetch-timeout`); default npm's `fetch-timeout`, at most 10 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
}

export interface RetryOptions {
  retries: number;
  factor: number;
  minTimeout: number;
  maxTimeout: number;
}

export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_MAX_DOCUMENT_BYTES = 96 * 1024 * 1024;
export const DEFAULT_MAX_TARBALL_BYTES = 64 * 1024 * 1024;
export const DEFAULT_DOCUMENT_BUDGET_BYTES = 96 * 1024 * 1024;
// npm's own defaults (10 s → 60 s back-off, 5 min timeout) let a dead registry hang a CI job for minutes;
// the timeout is one of no progress (http-get.ts), so a large document on a slow link still arrives
export const DEFAULT_STALL_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = DEFAULT_STALL_TIMEOUT_MS;
const MAX_RETRY: RetryOptions = { retries: 2, factor: 4, minTimeout: 1_000, maxTimeout: 4_000 };

/**
 * The one way ai-chain-audit talks to registries: npm-registry-fetch configured exactly as npm
 * is for the project (registry, scoped registries, auth, proxy, TLS, npm's cacache directory),
 * with bounded concurrency, keep-alive sockets, capped retries, a timeout and a body size bound.
 * Concurrent identical requests share one promise; repeats later in a run are served by the
 * HTTP cache. Reusable by later stages: `fetchJson` for any registry JSON (signing keys,
 * attestations), `fetchTarball` for a package tarball checked against its integrity.
 */
export class RegistryClient {
  /** Requests the registry answered (error statuses included), answers npm's HTTP cache gave instead, and body bytes received. */
  readonly stats = { requests: 0, cacheHits: 0, bytes: 0 };
  readonly offline: boolean;
  private readonly limiter: Limiter;
  private readonly inFlight = new Map<string, Promise<Fetched<unknown>>>();
  private readonly answered = new Set<string>();
  private readonly controller = new AbortController();
  private readonly baseOptions: Record<string, unknown>;
  private readonly maxDocumentBytes: number;
  /** Every document this client is receiving holds part of it (see byte-budget.ts). */
  private readonly documentBudget: ByteBudget;
  private readonly agents = new Map<string, unknown>();
  /** The headers npm-registry-fetch sends with every request under this configuration. */
  private readonly npmHeaders: Record<string, string>;
  private readonly authByRegistry = new Map<string, NpmAuth>();

  constructor(
    readonly config: NpmConfig,
    readonly options: RegistryClientOptions = {},
  ) {
    this.offline = options.offline ?? false;
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.limiter = new Limiter(concurrency);
    this.maxDocumentBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    this.documentBudget = new ByteBudget(options.documentBudgetBytes ?? DEFAULT_DOCUMENT_BUDGET_BYTES);
    // every in-flight request listens for the run-wide abort
    setMaxListeners(concurrency * 2 + 16, this.controller.signal);
    const flat = config.flat;
    this.baseOptions = {
      ...fetchOptionsOf(flat),
      registry: config.registry,
      offline: this.offline || flat.offline === true,
      preferOnline: false,
      preferOffline: false,
      maxSockets: concurrency,
      timeout: options.timeoutMs ?? Math.min(Number(flat.timeout) || MAX_TIMEOUT_MS, MAX_TIMEOUT_MS),
      retry: options.retry ?? cappedRetry(flat.retry),
      signal: this.controller.signal,
    };
    this.npmHeaders = npmHeadersOf(this.baseOptions);
  }

  /** The registry base URL (trailing slash) npm would use for this package name. */
  registryFor(name: string): string {
    const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : null;
    return (scope && this.config.scopedRegistries[scope]) || this.config.registry;
  }

  /** Whether any HTTP answer (even an error status) came back from this registry in this run. */
  hasAnswered(registry: string): boolean {
    return this.answered.has(registry);
  }

  /** Records an HTTP answer from a registry received on this client's behalf (by the document worker). */
  markAnswered(registry: string): void {
    this.answered.add(registry);
  }

  /** Cancels everything in flight (used once the registry is known to be unreachable). */
  abort(): void {
    this.controller.abort();
  }

  /** The package document: `abbreviated` (install-v1) or `full`. `fresh` revalidates a cached copy. */
  packument(name: string, kind: DocumentKind, options: { fresh?: boolean } = {}): Promise<Fetched<Record<string, unknown>>> {
    const url = this.documentUrl(name);
    return this.json(url, { accept: kind === 'abbreviated' ? ABBREVIATED_ACCEPT : FULL_ACCEPT, fresh: options.fresh ?? false }).then((fetched) => {
      if (!isRecord(fetched.body) || !isRecord(fetched.body.versions)) {
        throw new RegistryFetchError('malformed', `the document for ${name} has no versions object`, url);
      }
      return fetched as Fetched<Record<string, unknown>>;
    });
  }

  /**
   * The package document straight from the registry, bypassing npm's HTTP cache (the caller keeps
   * its own facts cache): with validators it is a conditional request, and a 304 resolves with
   * `status: 304` and an empty body.
   */
  document(name: string, kind: DocumentKind, conditional: DirectRequest = {}): Promise<Fetched<Record<string, unknown> | null>> {
    return this.documentBytes(name, kind, conditional).then((fetched) => parseDocument(name, fetched));
  }

  /** `document` before parsing: the body as received (empty for a 304). */
  documentBytes(name: string, kind: DocumentKind, conditional: DirectRequest = {}): Promise<Fetched<Buffer>> {
    return this.directBytes(this.documentUrl(name), kind === 'abbreviated' ? ABBREVIATED_ACCEPT : FULL_ACCEPT, conditional);
  }

  /**
   * Any document on a configured registry straight from it, past npm's HTTP cache, for a caller
   * that keeps its own: with validators it is a conditional request (a 304 has an empty body).
   */
  directBytes(url: string, accept: string = FULL_ACCEPT, conditional: DirectRequest = {}): Promise<Fetched<Buffer>> {
    if (this.offline) return Promise.reject(new RegistryFetchError('not-cached', `not in the cache (offline): ${url}`, url));
    const headers: Record<string, string> = { accept };
    if (conditional.etag) headers['if-none-match'] = conditional.etag;
    if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
    const holdBody = conditional.holdBody;
    return this.request(url, { accept, headers, fresh: true, direct: true, maxBytes: this.maxDocumentBytes, ...(holdBody ? { holdBody: (status: number, header: Header) => status === 200 && holdBody(validatorsOf(header)) } : {}) });
  }

  /** The URL of a package document on the registry npm would use for it. */
  documentUrl(name: string): string {
    return `${this.registryFor(name)}${escapePackageName(name)}`;
  }

  /** Any JSON document on a configured registry, e.g. `${registry}-/npm/v1/keys` or a `dist.attestations.url`. */
  fetchJson<T = unknown>(url: string, options: { fresh?: boolean; maxBytes?: number } = {}): Promise<Fetched<T>> {
    return this.json(url, { accept: FULL_ACCEPT, fresh: options.fresh ?? false, maxBytes: options.maxBytes }) as Promise<Fetched<T>>;
  }

  /**
   * A tarball, into memory, verified against `integrity` (an SRI string) and bounded by `maxBytes`.
   * `url` defaults to the registry's conventional tarball path.
   */
  async fetchTarball(name: string, version: string, integrity: string, options: { url?: string; maxBytes?: number } = {}): Promise<Buffer> {
    const registry = this.registryFor(name);
    const url = options.url ?? `${registry}${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`;
    if (!sameOrigin(url, registry)) throw new RegistryFetchError('malformed', `the tarball URL of ${name}@${version} leaves the registry's origin: ${url}`, url);
    const fetched = await this.request(url, { accept: '*/*', fresh: false, integrity, maxBytes: options.maxBytes ?? DEFAULT_MAX_TARBALL_BYTES });
    return fetched.body;
  }

  private json(url: string, options: { accept: string; fresh: boolean; maxBytes?: number | undefined }): Promise<Fetched<unknown>> {
    const key = `${options.accept}\u0000${options.fresh}\u0000${url}`;
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = this.request(url, { ...options, maxBytes: options.maxBytes ?? this.maxDocumentBytes }).then((fetched) => {
      try {
        return { ...fetched, body: JSON.parse(fetched.body.toString('utf8')) as unknown };
      } catch (error) {
        throw new RegistryFetchError('malformed', `malformed JSON from ${url}: ${errorMessage(error)}`, url);
      }
    });
    this.inFlight.set(key, promise);
    const forget = () => this.inFlight.delete(key);
    promise.then(forget, forget);
    return promise;
  }

  private request(
    url: string,
    options: { accept: string; fresh: boolean; maxBytes: number; integrity?: string; headers?: Record<string, string>; direct?: boolean; holdBody?: (status: number, header: Header) => boolean },
  ): Promise<Fetched<Buffer>> {
    return this.limiter.run(async () => {
      if (this.controller.signal.aborted) throw new RegistryFetchError('aborted', `aborted: ${url}`, url);
      const registry = registryOf(url, this.config);
      const headers = options.headers ?? { accept: options.accept };
      let answer: Answer;
      try {
        const auth = options.direct ? this.leanAuth(url, registry) : null;
        answer = auth ? await this.getDirect(url, headers, auth, options.maxBytes, options.holdBody) : await this.getThroughNpm(url, headers, options, registry);
      } catch (error) {
        const failure = error instanceof RegistryFetchError ? error : this.classify(error, url, registry);
        // an error status is an answer from the registry all the same
        if (failure.status !== null) this.stats.requests++;
        throw failure;
      }
      this.answered.add(registry);
      if (answer.cache === 'hit') this.stats.cacheHits++;
      else {
        this.stats.requests++;
        this.stats.bytes += answer.body.length;
      }
      const fetched: Fetched<Buffer> = { body: answer.body, url, cache: answer.cache, bytes: answer.body.length, status: answer.status, validators: validatorsOf(answer.header) };
      const decode = answer.decode;
      if (decode) {
        fetched.decode = () => {
          try {
            return decode();
          } catch (error) {
            throw this.classify(error, url, registry);
          }
        };
      }
      return fetched;
    });
  }

  /**
   * A document past npm's HTTP cache (the facts cache keeps it instead): npm's credentials, npm's
   * headers and npm's agent (proxy, TLS, cafile, keep-alive), and make-fetch-happen's retry and
   * redirect rules, without make-fetch-happen's objects and streams, which made up most of the
   * CPU each of a thousand documents cost (see http-get.ts).
   */
  private async getDirect(url: string, headers: Record<string, string>, auth: NpmAuth, maxBytes: number, holdBody: HttpGetOptions['holdBody']): Promise<Answer> {
    const opts = this.baseOptions;
    const answer = await httpGet(url, {
      agent: this.agentFor(url),
      headers: { ...this.npmHeaders, ...headers, ...authorizationOf(auth) },
      timeoutMs: opts.timeout as number,
      retry: opts.retry as RetryOptions,
      maxBytes,
      budget: this.documentBudget,
      signal: this.controller.signal,
      holdBody,
    });
    if (answer.status >= 400) throw Object.assign(new Error(`${answer.status} from ${url}`), { statusCode: answer.status });
    return { ...answer, cache: 'miss' };
  }

  /**
   * Through npm-registry-fetch, and npm's HTTP cache unless `fresh`. make-fetch-happen retries
   * what fails before the answer starts; a body that stalls after it (npm's agent times the
   * socket out) is asked for once more, as `httpGet` does, and a second stall is the failure.
   */
  private async getThroughNpm(url: string, headers: Record<string, string>, options: { fresh: boolean; maxBytes: number; integrity?: string }, registry: string): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const response = await npmFetch()(url, {
        ...this.baseOptions,
        agent: this.agentFor(url),
        headers,
        ...(options.fresh && !this.offline ? { preferOnline: true } : {}),
        ...(options.integrity ? { integrity: options.integrity } : {}),
      });
      this.answered.add(registry);
      let body: Buffer;
      try {
        body = await readBounded(response, url, options.maxBytes);
      } catch (error) {
        if (!isStall(error) || this.controller.signal.aborted) throw error;
        if (attempt >= MAX_STALL_RETRIES) throw Object.assign(new Error(`the transfer stalled ${attempt + 1} times (nothing for ${this.agentIdleMs()} ms)`), { code: 'ETIMEDOUT' });
        continue;
      }
      return { status: response.status, url, header: (name) => response.headers.get(name) ?? null, body, cache: response.headers.get('x-local-cache-status') ?? 'miss' };
    }
  }

  /**
   * npm-registry-fetch's credentials for a document URL: the same for every document of a
   * registry unless some credential is configured for a path below the registry's, so they are
   * worked out once per registry. Null when a client certificate is configured: that request
   * goes through npm-registry-fetch, which hands it to the TLS layer itself.
   */
  private leanAuth(url: string, registry: string): NpmAuth | null {
    let auth = this.authByRegistry.get(registry);
    if (auth === undefined) {
      auth = getAuth()(url, this.baseOptions);
      if (!hasCredentialsBelow(registry, this.baseOptions)) this.authByRegistry.set(registry, auth);
    }
    return auth.cert || auth.key ? null : auth;
  }

  /**
   * One keep-alive agent per origin, built once: npm-registry-fetch would otherwise derive the
   * agent's cache key from every option (a `cafile` bundle is hundreds of KB) on each request.
   */
  /** The agent's socket idle timeout: twice npm's `timeout`, so that http-get's own stall timer fires first. */
  private agentIdleMs(): number {
    return 2 * Number(this.baseOptions.timeout);
  }

  private agentFor(url: string): unknown {
    const origin = new URL(url).origin;
    let agent = this.agents.get(origin);
    if (agent === undefined) {
      const flat = this.baseOptions;
      const secureContext = new URL(url).protocol === 'https:' ? tlsContextOf(flat) : null;
      agent = agents().getAgent(url, {
        ca: flat.ca,
        cert: flat.cert,
        key: flat.key,
        ...(secureContext ? { secureContext } : {}),
        localAddress: flat.localAddress,
        maxSockets: flat.maxSockets,
        noProxy: flat.noProxy,
        proxy: flat.httpsProxy ?? flat.proxy,
        rejectUnauthorized: flat.strictSSL !== false,
        // the stall timeout is http-get's, which counts bytes a busy thread has not read yet; the
        // agent's own idle timer (a socket timeout) would otherwise fire first, as a network error
        timeout: this.agentIdleMs(),
      });
      // agent-base otherwise works its `protocol` out from a stack trace on every request
      (agent as { protocol?: string }).protocol = new URL(url).protocol;
      if (secureContext) withoutTlsMaterial(agent);
      this.agents.set(origin, agent);
    }
    return agent;
  }

  private classify(error: unknown, url: string, registry: string): RegistryFetchError {
    if (error instanceof BodyTooLargeError) return tooLarge(url, error.maxBytes);
    const err = error as { code?: string; statusCode?: number; status?: number; type?: string; name?: string; answered?: boolean };
    if (err.answered) this.answered.add(registry);
    const status = err.statusCode ?? (typeof err.status === 'number' ? err.status : null);
    if (status !== null) {
      this.answered.add(registry);
      if (status === 404 || status === 410) return new RegistryFetchError('not-found', `${status} Not Found: ${url}`, url, status);
      return new RegistryFetchError('http', `HTTP ${status} from ${url} (after retries)`, url, status);
    }
    if (err.code === 'ENOTCACHED') return new RegistryFetchError('not-cached', `not in the cache (offline): ${url}`, url);
    if (err.code === 'EINTEGRITY') return new RegistryFetchError('integrity', `integrity check failed for ${url}`, url);
    if (err.name === 'AbortError' || this.controller.signal.aborted) return new RegistryFetchError('aborted', `aborted: ${url}`, url);
    if (err.type === 'invalid-json' || err.code === 'EJSONPARSE') return new RegistryFetchError('malformed', `malformed response from ${url}`, url);
    return new RegistryFetchError('network', `${err.code ?? 'network error'} for ${url}: ${firstLine(errorMessage(error))}`, url);
  }
}

/** A fetched package document parsed and checked to have a `versions` object; a 304 has no body. */
export function parseDocument(name: string, fetched: Fetched<Buffer>): Fetched<Record<string, unknown> | null> {
  if (fetched.status === 304) return { ...fetched, body: null };
  let body: unknown;
  try {
    body = JSON.parse(fetched.body.toString('utf8'));
  } catch (error) {
    throw new RegistryFetchError('malformed', `malformed JSON from ${fetched.url}: ${errorMessage(error)}`, fetched.url);
  }
  if (!isRecord(body) || !isRecord(body.versions)) throw new RegistryFetchError('malformed', `the document for ${name} has no versions object`, fetched.url);
  return { ...fetched, body };
}

/** npm-registry-fetch's per-configuration headers (its `getHeaders`, less the per-request credentials). */
function npmHeadersOf(opts: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  const set = (header: string, value: unknown) => typeof value === 'string' && value !== '' && (headers[header] = value);
  set('user-agent', opts.userAgent);
  set('npm-auth-type', opts.authType);
  set('npm-scope', opts.scope);
  set('npm-session', opts.npmSession);
  set('npm-command', opts.npmCommand);
  return headers;
}

type Header = (name: string) => string | null;

function validatorsOf(header: Header): ResponseValidators {
  return { cacheControl: header('cache-control'), age: header('age'), etag: header('etag'), lastModified: header('last-modified') };
}

/** An answer read in full; `cache` is make-fetch-happen's `x-local-cache-status` (`hit`: no request reached the registry). */
type Answer = HttpAnswer & { cache: string };

const CREDENTIAL_SUFFIXES = [':_authToken', ':_auth', ':_password', ':username', ':certfile', ':keyfile'];

/** Whether a credential is configured for some path below the registry's (`//host/path/<more>:_authToken`). */
function hasCredentialsBelow(registry: string, opts: Record<string, unknown>): boolean {
  const { host, pathname } = new URL(registry);
  const prefix = `//${host}${pathname}`;
  return Object.keys(opts).some((key) => key.startsWith(prefix) && CREDENTIAL_SUFFIXES.some((suffix) => key.endsWith(suffix) && key.length > prefix.length + suffix.length));
}

function authorizationOf(auth: NpmAuth): Record<string, string> {
  if (auth.token) return { authorization: `Bearer ${auth.token}` };
  if (auth.auth) return { authorization: `Basic ${auth.auth}` };
  return {};
}

function tooLarge(url: string, maxBytes: number): RegistryFetchError {
  return new RegistryFetchError('oversized', `response from ${url} exceeds ${Math.round(maxBytes / 1024 / 1024)} MiB`, url);
}

async function readBounded(response: FetchResponse, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  const tooBig = () => tooLarge(url, maxBytes);
  if (declared > maxBytes) {
    response.body.destroy?.();
    throw tooBig();
  }
  const body = response.body as unknown as NodeJS.EventEmitter & { destroy?: () => void };
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    body.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      failed = true;
      chunks.length = 0;
      body.destroy?.();
      reject(tooBig());
    });
    body.on('error', (error) => {
      failed = true;
      reject(error);
    });
    body.on('end', () => failed || resolve(Buffer.concat(chunks, size)));
  });
}

// the options npm-registry-fetch and make-fetch-happen read; credentials and scoped registries are added by pattern
const FETCH_OPTIONS = new Set(['registry', 'scope', 'projectScope', 'cache', 'offline', 'preferOffline', 'preferOnline', 'retry', 'fetchRetries', 'fetchRetryFactor', 'fetchRetryMintimeout', 'fetchRetryMaxtimeout', 'timeout', 'strictSSL', 'ca', 'cert', 'key', 'localAddress', 'maxSockets', 'noProxy', 'httpsProxy', 'proxy', 'userAgent', 'authType', 'npmSession', 'npmCommand', 'otp', 'forceAuth', '_auth']);

/**
 * npm's flat options narrowed to what the fetch stack reads: npm-registry-fetch copies its
 * options several times per request, and with npm's ~130 flat keys that copying was half
 * the CPU cost of a request.
 */
function fetchOptionsOf(flat: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flat).filter(([key]) => FETCH_OPTIONS.has(key) || key.startsWith('//') || /^@[^:]+:registry$/i.test(key)));
}

function cappedRetry(configured: unknown): RetryOptions {
  const retry = isRecord(configured) ? configured : {};
  const pick = (key: keyof RetryOptions) => {
    const value = Number(retry[key]);
    return Number.isFinite(value) && value >= 0 ? Math.min(value, MAX_RETRY[key]) : MAX_RETRY[key];
  };
  return { retries: pick('retries'), factor: pick('factor'), minTimeout: pick('minTimeout'), maxTimeout: pick('maxTimeout') };
}

/** The configured registry a URL belongs to (longest prefix), or its origin. */
export function registryOf(url: string, config: NpmConfig): string {
  const candidates = [config.registry, ...Object.values(config.scopedRegistries)].filter((registry) => url.startsWith(registry));
  return candidates.sort((a, b) => b.length - a.length)[0] ?? `${new URL(url).origin}/`;
}

/** `@scope/name` → `@scope%2fname`, as the registry expects in a document URL. */
export function escapePackageName(name: string): string {
  return name.startsWith('@') ? name.replace('/', '%2f') : name;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/**
 * One TLS context for npm's `ca`/`cafile`, `cert` and `key`, built once. Given those options
 * instead, Node's HTTPS agent joins the whole CA bundle (hundreds of KB from a `cafile`) into its
 * socket-pool key on every request and parses it again for every new connection: ~3 s of CPU for
 * 3,000 requests. Null when there is nothing to build, or when the material does not load (then the
 * agent gets it as it is, and each connection fails as it would have).
 */
function tlsContextOf(flat: Record<string, unknown>): SecureContext | null {
  if (flat.ca == null && flat.cert == null && flat.key == null) return null;
  try {
    return createSecureContext({ ca: flat.ca as string | string[] | undefined, cert: flat.cert as string | undefined, key: flat.key as string | undefined });
  } catch {
    return null;
  }
}

/** The agent's own copy of the TLS material, which its socket-pool key is made from; the context built from it stays. */
function withoutTlsMaterial(agent: unknown): void {
  const options = (agent as { options?: Record<string, unknown> }).options;
  if (!options || !options.secureContext) return;
  delete options.ca;
  delete options.cert;
  delete options.key;
}
