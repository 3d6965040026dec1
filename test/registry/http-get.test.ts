import { once } from 'node:events';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { getAgent } from '@npmcli/agent';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteBudget } from '../../src/registry/transport/byte-budget.js';
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

  it('retries a connection reset; a server that never answers is a stall, retried once', async () => {
    const reset = await serve((req, res, count) => (count === 1 ? req.socket.destroy() : res.end('{}')));
    expect((await httpGet(`${reset.url}doc`, options())).status).toBe(200);
    expect(reset.seen).toHaveLength(2);
    const hang = await serve(() => undefined);
    const started = Date.now();
    await expect(httpGet(`${hang.url}doc`, options({ timeoutMs: 200 }))).rejects.toMatchObject({ type: 'request-timeout', message: expect.stringMatching(/no data .* for 200 ms \(stalled\)/) });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(hang.seen).toHaveLength(2);
  });

  it('times out a transfer that stops moving, retries it once, and takes the retry', async () => {
    const { url, seen } = await serve((_req, res, count) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"part":');
      // the first answer stops half-way (headers and some body sent): a stall, not a slow server
      if (count > 1) res.end('1}');
    });
    const answer = await httpGet(`${url}doc`, options({ timeoutMs: 300, retry: { retries: 0, factor: 1, minTimeout: 0, maxTimeout: 0 } }));
    expect(answer.body.toString()).toBe('{"part":1}');
    expect(seen).toHaveLength(2);
  });

  it('lets a slow transfer that keeps moving take longer than the timeout in total', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[0');
      let sent = 1;
      // 12 chunks 100 ms apart: 1.2 s in all, never 250 ms without a byte
      const timer = setInterval(() => {
        if (sent++ < 12) return void res.write(`,${sent}`);
        clearInterval(timer);
        res.end(']');
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const answer = await httpGet(`${url}doc`, options({ timeoutMs: 250 }));
    expect(Date.now() - started).toBeGreaterThan(1_000);
    expect(JSON.parse(answer.body.toString())).toHaveLength(12);
    expect(seen).toHaveLength(1);
  });

  it("takes npm's agent timing a socket out for a stall too: retried at once, once, not after a back-off", async () => {
    const hang = await serve(() => undefined);
    const npmAgent = getAgent(hang.url, { timeout: 150 });
    const started = performance.now();
    await expect(httpGet(`${hang.url}doc`, options({ agent: npmAgent, timeoutMs: 5_000, retry: { retries: 2, factor: 2, minTimeout: 3_000, maxTimeout: 3_000 } }))).rejects.toMatchObject({ code: 'EIDLETIMEOUT' });
    expect(hang.seen).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('does not call a transfer stalled because this thread was busy: bytes that arrived meanwhile count first', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 50);
    });
    // the thread is busy for twice the limit while the rest of the body arrives
    setTimeout(() => {
      const until = Date.now() + 600;
      while (Date.now() < until) {
        // busy
      }
    }, 10);
    const answer = await httpGet(`${url}doc`, options({ timeoutMs: 300, retry: { retries: 0, factor: 1, minTimeout: 0, maxTimeout: 0 } }));
    expect(answer.body.toString()).toBe('{"a":1}');
    expect(seen).toHaveLength(1);
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
    // larger than one default chunk: decoded in one chunk sized from the gzip trailer
    const large = JSON.stringify({ versions: Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`1.0.${index}`, { dist: { integrity: `sha512-${index}` } }])) });
    const big = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(large)));
    expect((await httpGet(`${big.url}doc`, options({ maxBytes: 4 * 1024 * 1024 }))).body.toString()).toBe(large);
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const huge = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    await expect(httpGet(`${huge.url}doc`, options({ maxBytes: 1024 * 1024 }))).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(huge.seen).toHaveLength(1);
  });

  it('decodes deflate, and rejects a corrupt compressed body as an error of the transfer (retried, then reported)', async () => {
    const doc = JSON.stringify({ versions: {} });
    const deflated = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(doc)));
    expect((await httpGet(`${deflated.url}doc`, options())).body.toString()).toBe(doc);
    const corrupt = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(doc).subarray(0, 12)));
    await expect(httpGet(`${corrupt.url}doc`, options({ retry: { retries: 1, factor: 1, minTimeout: 1, maxTimeout: 1 } }))).rejects.toMatchObject({ code: expect.stringMatching(/^Z_/) });
    expect(corrupt.seen).toHaveLength(2);
  });

  it('holds a body undecoded when asked to by its headers, and decodes it on demand within the same bound', async () => {
    const doc = JSON.stringify({ versions: { '1.0.0': {} } });
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, ' '));
    const { url } = await serve((req, res) => {
      const body = req.url === '/bomb' ? bomb : gzipSync(doc);
      res.writeHead(200, { 'content-encoding': 'gzip', 'last-modified': req.url === '/old' ? 'Mon, 01 Jan 2024 00:00:00 GMT' : 'Tue, 24 Mar 2026 11:00:00 GMT' }).end(body);
    });
    const asked: string[] = [];
    const holdBody = (status: number, header: (name: string) => string | null) => {
      asked.push(`${status} ${header('last-modified')}`);
      return Date.parse(header('last-modified') ?? '') > Date.parse('2026-01-01');
    };
    const budget = new ByteBudget(1024 * 1024);
    const held = await httpGet(`${url}new`, options({ holdBody, budget }));
    expect(held.body).toHaveLength(0);
    expect(held.decode?.().toString()).toBe(doc);
    // decoding later adds nothing to the budget the transfer has given back
    expect(budget.heldBytes).toBe(0);
    const decoded = await httpGet(`${url}old`, options({ holdBody }));
    expect(decoded.body.toString()).toBe(doc);
    expect(decoded.decode).toBeUndefined();
    expect(asked).toEqual(['200 Tue, 24 Mar 2026 11:00:00 GMT', '200 Mon, 01 Jan 2024 00:00:00 GMT']);
    // a held body is bounded when it is decoded, as it would have been at once
    const heldBomb = await httpGet(`${url}bomb`, options({ holdBody, maxBytes: 1024 * 1024 }));
    expect(() => heldBomb.decode?.()).toThrow(BodyTooLargeError);
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

  describe('a memory budget for the documents in flight together', () => {
    /** `/big` streams 3 MB in 64 KB chunks 10 ms apart; `/small` answers at once. Records when each request arrived and `/big` ended. */
    async function budgetServer(): Promise<{ url: string; events: string[]; bigHalfway: Promise<void> }> {
      const events: string[] = [];
      let halfway: () => void = () => undefined;
      const bigHalfway = new Promise<void>((resolve) => (halfway = resolve));
      const { url } = await serve((req, res) => {
        events.push(`start ${req.url}`);
        if (req.url !== '/big') return void res.end('{"small":true}');
        res.writeHead(200, { 'content-type': 'application/json' });
        let sent = 0;
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const timer = setInterval(() => {
          if (sent >= 3 * 1024 * 1024) {
            clearInterval(timer);
            events.push('end /big');
            return void res.end('{}');
          }
          res.write(chunk);
          sent += chunk.length;
          if (sent >= 1.5 * 1024 * 1024) halfway();
        }, 10);
        res.on('close', () => clearInterval(timer));
      });
      return { url, events, bigHalfway };
    }

    it('a new document waits while the bodies in flight hold the budget, and starts when they are done', async () => {
      const { url, events, bigHalfway } = await budgetServer();
      const budget = new ByteBudget(1024 * 1024);
      const big = httpGet(`${url}big`, options({ budget, maxBytes: 8 * 1024 * 1024 }));
      await bigHalfway;
      expect(budget.heldBytes).toBeGreaterThan(1024 * 1024);
      const small = httpGet(`${url}small`, options({ budget }));
      await Promise.all([big, small]);
      expect(events).toEqual(['start /big', 'end /big', 'start /small']);
      expect(budget.heldBytes).toBe(0);
    });

    it('without the budget the same document starts at once (the test can tell)', async () => {
      const { url, events, bigHalfway } = await budgetServer();
      const big = httpGet(`${url}big`, options({ maxBytes: 8 * 1024 * 1024 }));
      await bigHalfway;
      await httpGet(`${url}small`, options());
      await big;
      expect(events).toEqual(['start /big', 'start /small', 'end /big']);
    });

    it('a document larger than the whole budget still starts when nothing else is in flight; a failed one gives its bytes back', async () => {
      const { url } = await budgetServer();
      const budget = new ByteBudget(1024);
      expect((await httpGet(`${url}big`, options({ budget, maxBytes: 8 * 1024 * 1024 }))).body.length).toBeGreaterThan(3 * 1024 * 1024);
      await expect(httpGet(`${url}big`, options({ budget, maxBytes: 1024 * 1024 }))).rejects.toBeInstanceOf(BodyTooLargeError);
      expect(budget.heldBytes).toBe(0);
      expect((await httpGet(`${url}small`, options({ budget }))).status).toBe(200);
    });
  });
});
