import { once } from 'node:events';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, httpGet, type HttpGetOptions } from '../../src/registry/transport/http-get.js';

interface Seen {
  path: string;
  authorization: string | undefined;
  acceptEncoding: string | undefined;
  at: number;
}

const servers: Server[] = [];
const agent = new Agent({ keepAlive: true });

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback server answering with `handle`, recording what it was asked. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, count: number) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization, acceptEncoding: req.headers['accept-encoding'], at: Date.now() });
    handle(req, res, seen.length);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

function options(overrides: Partial<HttpGetOptions> = {}): HttpGetOptions {
  return { agent, headers: { accept: 'application/json', authorization: 'Bearer secret' }, timeoutMs: 2_000, retry: { retries: 2, factor: 2, minTimeout: 30, maxTimeout: 1_000 }, maxBytes: 1024 * 1024, signal: new AbortController().signal, ...overrides };
}

describe('httpGet', () => {
  it('retries 5xx, 429, 408 and 420 answers with make-fetch-happen back-off, then answers', async () => {
    const statuses = [503, 429, 200];
    const { url, seen } = await serve((_req, res, count) => {
      res.writeHead(statuses[count - 1] ?? 200, { 'content-type': 'application/json', etag: '"v1"' });
      res.end('{"ok":true}');
    });
    const answer = await httpGet(`${url}doc`, options());
    expect(answer).toMatchObject({ status: 200, url: `${url}doc` });
    expect(answer.header('ETag')).toBe('"v1"');
    expect(answer.body.toString()).toBe('{"ok":true}');
    expect(seen).toHaveLength(3);
    // 30 ms after the first attempt, 60 ms after the second
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(25);
    expect((seen[2]?.at ?? 0) - (seen[1]?.at ?? 0)).toBeGreaterThanOrEqual(55);
  });

  it('returns the last answer once the retries are spent, and does not retry a 404', async () => {
    const failing = await serve((_req, res) => res.writeHead(500).end('no'));
    expect((await httpGet(`${failing.url}doc`, options())).status).toBe(500);
    expect(failing.seen).toHaveLength(3);
    const missing = await serve((_req, res) => res.writeHead(404).end('{}'));
    expect((await httpGet(`${missing.url}doc`, options())).status).toBe(404);
    expect(missing.seen).toHaveLength(1);
  });

  it('retries a connection reset, but not a response that never completes', async () => {
    const reset = await serve((req, res, count) => (count === 1 ? req.socket.destroy() : res.end('{}')));
    expect((await httpGet(`${reset.url}doc`, options())).status).toBe(200);
    expect(reset.seen).toHaveLength(2);
    const hang = await serve(() => undefined);
    const started = Date.now();
    await expect(httpGet(`${hang.url}doc`, options({ timeoutMs: 200 }))).rejects.toMatchObject({ type: 'request-timeout' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(hang.seen).toHaveLength(1);
  });

  it('follows redirects, keeping the credentials on the same host and dropping them for another', async () => {
    const elsewhere = await serve((_req, res) => res.end('{"from":"elsewhere"}'));
    // the other server is reached by name, a different host from 127.0.0.1
    const other = elsewhere.url.replace('127.0.0.1', 'localhost');
    const { url, seen } = await serve((req, res) => {
      if (req.url === '/start') res.writeHead(302, { location: '/moved' }).end();
      else res.writeHead(301, { location: `${other}final` }).end();
    });
    const answer = await httpGet(`${url}start`, options());
    expect(answer).toMatchObject({ status: 200, url: `${other}final` });
    expect(seen.map((request) => [request.path, request.authorization])).toEqual([
      ['/start', 'Bearer secret'],
      ['/moved', 'Bearer secret'],
    ]);
    expect(elsewhere.seen.map((request) => [request.path, request.authorization])).toEqual([['/final', undefined]]);
  });

  it('stops following after 20 redirects and returns the redirect', async () => {
    const { url, seen } = await serve((_req, res, count) => res.writeHead(302, { location: `/hop-${count}` }).end());
    expect((await httpGet(`${url}start`, options())).status).toBe(302);
    expect(seen).toHaveLength(21);
  });

  it('asks for and decodes gzip, and bounds the decoded size (a small compressed body may be huge)', async () => {
    const doc = JSON.stringify({ versions: { '1.0.0': { name: 'x'.repeat(1000) } } });
    const small = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(doc)));
    const answer = await httpGet(`${small.url}doc`, options());
    expect(answer.body.toString()).toBe(doc);
    expect(small.seen[0]?.acceptEncoding).toContain('gzip');
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const huge = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    await expect(httpGet(`${huge.url}doc`, options({ maxBytes: 1024 * 1024 }))).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(huge.seen).toHaveLength(1);
  });

  it('refuses a declared length over the bound before reading, and stops an undeclared one as it grows', async () => {
    const declared = await serve((_req, res) => res.writeHead(200, { 'content-length': 4096 }).end(Buffer.alloc(4096)));
    await expect(httpGet(`${declared.url}doc`, options({ maxBytes: 1024 }))).rejects.toBeInstanceOf(BodyTooLargeError);
    const chunked = await serve((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(800));
      res.end(Buffer.alloc(800));
    });
    await expect(httpGet(`${chunked.url}doc`, options({ maxBytes: 1024 }))).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('stops at once when aborted, also between retries', async () => {
    const { url } = await serve((_req, res) => res.writeHead(503).end());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(httpGet(`${url}doc`, options({ signal: controller.signal, retry: { retries: 5, factor: 1, minTimeout: 5_000, maxTimeout: 5_000 } }))).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
