import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ByteBudget } from './byte-budget.js';
import { inflateWhole, type Compression } from '../../util/inflate.js';

export interface RetryPolicy {
  retries: number;
  factor: number;
  minTimeout: number;
  maxTimeout: number;
}

export interface HttpGetOptions {
  /** npm's agent for the URL's origin (@npmcli/agent: proxy, TLS, cafile, keep-alive). */
  agent: unknown;
  headers: Record<string, string>;
  /**
   * An attempt that receives nothing for this long (no answer, or no body bytes) has stalled: it
   * fails and is retried once. A slow transfer that keeps moving never times out.
   */
  timeoutMs: number;
  retry: RetryPolicy;
  /** The decoded body may not be larger: the fetch fails with `BodyTooLargeError`. */
  maxBytes: number;
  /** Shared with the client's other documents: the request waits while the bodies in flight hold it. */
  budget?: ByteBudget | undefined;
  signal: AbortSignal;
  /**
   * Asked once the final answer's status and headers are in: true keeps that body as it came
   * (still compressed) and leaves decoding it to `HttpAnswer.decode`, for a caller that may not
   * need it after all.
   */
  holdBody?: ((status: number, header: (name: string) => string | null) => boolean) | undefined;
}

export interface HttpAnswer {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  header(name: string): string | null;
  /** The decoded body; empty when it was held (see `holdBody`). */
  body: Buffer;
  /** Only for a held body: decodes it, bounded as any body is (throws `BodyTooLargeError`). */
  decode?: () => Buffer;
}

export class BodyTooLargeError extends Error {
  constructor(
    readonly url: string,
    readonly maxBytes: number,
  ) {
    super(`the body of ${url} is larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** A failure after the server had started to answer (`answered`), or with no answer at all. */
type ExchangeError = Error & { code?: string; answered?: boolean; type?: string };

const MAX_REDIRECTS = 20;
/** A stalled attempt is made again this many times, at once (the tarballs read through npm-registry-fetch too). */
export const MAX_STALL_RETRIES = 1;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** @npmcli/agent's own timeouts: a stall too, retried at once and only once. */
const AGENT_TIMEOUTS = new Set(['EIDLETIMEOUT', 'ERESPONSETIMEOUT', 'ETRANSFERTIMEOUT', 'ECONNECTIONTIMEOUT']);

/** Whether a failed attempt stalled (nothing arrived for the limit): this timer's or the agent's. */
export function isStall(error: unknown): boolean {
  const failure = error as Partial<ExchangeError> | null;
  return failure?.type === 'request-timeout' || AGENT_TIMEOUTS.has(failure?.code ?? '');
}

/**
 * One GET the way make-fetch-happen makes an uncached one, without its request, header and
 * stream objects (most of the CPU a request costs there): npm's agent, npm's retry policy
 * (408, 420, 429 and 5xx answers and network errors are retried with the same back-off), a
 * timeout that follows progress (a stalled attempt is retried once, a slow one never times out),
 * up to 20 redirects with the credentials dropped when the origin changes, and gzip or deflate
 * bodies decoded. Every status is returned; callers judge it.
 */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpAnswer> {
  let stalls = 0;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= options.retry.retries;
    try {
      const answer = await followingRedirects(url, options);
      if (last || !isRetriedStatus(answer.status)) return answer;
    } catch (error) {
      const failure = error as ExchangeError;
      if (isStall(failure)) {
        if (++stalls > MAX_STALL_RETRIES || options.signal.aborted) throw error;
        continue;
      }
      if (last || failure.name === 'AbortError' || error instanceof BodyTooLargeError) throw error;
    }
    await sleep(backoff(attempt, options.retry), undefined, { signal: options.signal });
  }
}

/** promise-retry's timeout for an attempt (make-fetch-happen's retry, randomize off). */
function backoff(attempt: number, retry: RetryPolicy): number {
  return Math.min(Math.round(Math.max(retry.minTimeout, 1) * retry.factor ** attempt), retry.maxTimeout);
}

function isRetriedStatus(status: number): boolean {
  return status === 408 || status === 420 || status === 429 || status >= 500;
}

async function followingRedirects(url: string, options: HttpGetOptions): Promise<HttpAnswer> {
  let current = new URL(url);
  let headers = options.headers;
  for (let redirects = 0; ; redirects++) {
    const answer = await exchange(current, headers, options);
    const location = answer.header('location');
    if (!REDIRECTS.has(answer.status) || !location || redirects >= MAX_REDIRECTS) return answer;
    const next = new URL(location, current);
    // any origin change (scheme, host or port) drops the credentials; npm keeps them for another port of the same host
    if (next.origin !== current.origin) {
      const { authorization: _authorization, cookie: _cookie, ...rest } = headers;
      headers = rest;
    }
    current = next;
  }
}

async function exchange(url: URL, headers: Record<string, string>, options: HttpGetOptions): Promise<HttpAnswer> {
  const budget = options.budget;
  if (!budget) return exchangeOnce(url, headers, options, () => undefined);
  await budget.start();
  let received = 0;
  try {
    return await exchangeOnce(url, headers, options, (bytes) => {
      received += bytes;
      budget.add(bytes);
    });
  } finally {
    budget.end(received);
  }
}

function exchangeOnce(url: URL, headers: Record<string, string>, options: HttpGetOptions, onBytes: (bytes: number) => void): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'GET',
      agent: options.agent as Agent,
      headers: { 'accept-encoding': 'gzip,deflate', connection: 'keep-alive', ...headers },
      signal: options.signal,
    });
    // the timer is re-armed by every byte that arrives: only a transfer that stops moving times out
    let settled = false;
    let lastProgress = performance.now();
    const progressed = () => {
      lastProgress = performance.now();
      timer.refresh();
    };
    // timers run before the I/O that arrived meanwhile: when this thread was busy for longer than
    // the limit, the bytes waiting for it are counted first (setImmediate runs after them)
    const stalled = () =>
      setImmediate(() => {
        if (settled) return;
        if (performance.now() - lastProgress < options.timeoutMs) return void timer.refresh();
        request.destroy(Object.assign(new Error(`no data from ${url.href} for ${options.timeoutMs} ms (stalled)`), { code: 'ETIMEDOUT', type: 'request-timeout' }));
      });
    const timer = setTimeout(stalled, options.timeoutMs);
    const fail = (error: ExchangeError, answered: boolean) => {
      settled = true;
      clearTimeout(timer);
      reject(Object.assign(error, { answered }));
    };
    request.on('error', (error) => fail(error, false));
    request.on('response', (response) => {
      progressed();
      response.on('data', progressed);
      const status = response.statusCode ?? 0;
      const header = (name: string) => headerOf(response, name);
      const hold = !REDIRECTS.has(status) && options.holdBody?.(status, header) === true;
      const decoder = encodingOf(response);
      receiveBody(response, url.href, options.maxBytes, onBytes)
        .then((received): HttpAnswer => {
          // a held body is decoded after the exchange, outside the byte budget's accounting
          if (hold) return { status, url: url.href, header, body: EMPTY, decode: () => decodeBody(received, decoder, url.href, options.maxBytes, () => undefined) };
          return { status, url: url.href, header, body: decodeBody(received, decoder, url.href, options.maxBytes, onBytes) };
        })
        .then(
          (answer) => {
            settled = true;
            clearTimeout(timer);
            resolve(answer);
          },
          (error: ExchangeError) => {
            request.destroy();
            fail(error, true);
          },
        );
    });
    request.end();
  });
}

function headerOf(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

const EMPTY = Buffer.alloc(0);

/**
 * The body as received. A compressed body is collected as it arrives and inflated in one call at
 * the end (`decodeBody`): the streaming decoder costs two to three times the CPU (a threadpool
 * round trip per chunk), and a document is held whole anyway. The decoded size is bounded by
 * `maxBytes` either way.
 */
function receiveBody(response: IncomingMessage, url: string, maxBytes: number, onBytes: (bytes: number) => void): Promise<Buffer> {
  if (Number(response.headers['content-length']) > maxBytes) {
    response.resume();
    return Promise.reject(new BodyTooLargeError(url, maxBytes));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      onBytes(chunk.length);
      if (size <= maxBytes) return void chunks.push(chunk);
      response.destroy(new BodyTooLargeError(url, maxBytes));
    });
    response.on('error', reject);
    // most compressed documents arrive in one read: that chunk is the body (Buffer.concat would copy it)
    response.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
  });
}

function encodingOf(response: IncomingMessage): Compression | null {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  return encoding === 'gzip' || encoding === 'x-gzip' ? 'gzip' : encoding === 'deflate' ? 'deflate' : null;
}

function decodeBody(body: Buffer, compression: Compression | null, url: string, maxBytes: number, onBytes: (bytes: number) => void): Buffer {
  if (!compression) return body;
  try {
    const decoded = inflateWhole(body, compression, maxBytes);
    onBytes(decoded.length);
    return decoded;
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? new BodyTooLargeError(url, maxBytes) : error;
  }
}
