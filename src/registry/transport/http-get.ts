import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip, createInflate } from 'node:zlib';

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
  /** An attempt with no complete answer within this long fails, and is not retried (as in make-fetch-happen). */
  timeoutMs: number;
  retry: RetryPolicy;
  /** The decoded body may not be larger: the fetch fails with `BodyTooLargeError`. */
  maxBytes: number;
  signal: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  header(name: string): string | null;
  body: Buffer;
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
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One GET the way make-fetch-happen makes an uncached one, without its request, header and
 * stream objects (most of the CPU a request costs there): npm's agent, npm's retry policy
 * (408, 420, 429 and 5xx answers and network errors are retried with the same back-off; a
 * response timeout is not), up to 20 redirects with the credentials dropped when the host
 * changes, and gzip or deflate bodies decoded. Every status is returned; callers judge it.
 */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= options.retry.retries;
    try {
      const answer = await followingRedirects(url, options);
      if (last || !isRetriedStatus(answer.status)) return answer;
    } catch (error) {
      const failure = error as ExchangeError;
      if (last || failure.name === 'AbortError' || failure.type === 'request-timeout' || error instanceof BodyTooLargeError) throw error;
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
    if (next.hostname !== current.hostname) {
      const { authorization: _authorization, cookie: _cookie, ...rest } = headers;
      headers = rest;
    }
    current = next;
  }
}

function exchange(url: URL, headers: Record<string, string>, options: HttpGetOptions): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'GET',
      agent: options.agent as Agent,
      headers: { 'accept-encoding': 'gzip,deflate', connection: 'keep-alive', ...headers },
      signal: options.signal,
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no complete answer from ${url.href} within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT', type: 'request-timeout' })), options.timeoutMs);
    const fail = (error: ExchangeError, answered: boolean) => {
      clearTimeout(timer);
      reject(Object.assign(error, { answered }));
    };
    request.on('error', (error) => fail(error, false));
    request.on('response', (response) => {
      readBody(response, url.href, options.maxBytes).then(
        (body) => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, url: url.href, header: (name) => headerOf(response, name), body });
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

function readBody(response: IncomingMessage, url: string, maxBytes: number): Promise<Buffer> {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : null;
  if (!decoder && Number(response.headers['content-length']) > maxBytes) {
    response.resume();
    return Promise.reject(new BodyTooLargeError(url, maxBytes));
  }
  const stream = decoder ? response.pipe(decoder) : response;
  if (decoder) response.on('error', (error) => decoder.destroy(error));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      stream.destroy(new BodyTooLargeError(url, maxBytes));
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks, size)));
  });
}
