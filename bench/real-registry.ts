// A loopback registry that serves real documents as a public registry does: full and abbreviated
// documents, `Cache-Control: public, max-age=300`, `ETag`, `Last-Modified`, 304s on conditional
// requests, gzip when asked, a fixed latency, and every version signed by the bench's key. Every
// document is rendered (signed, abbreviated, compressed) before any timed run, so the registry's
// own CPU stays out of the measurement.
import { createHash, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { abbreviate, CORGI_TYPE } from '../test/helpers/registry-server.js';
import type { Packument } from '../test/helpers/packuments.js';
import { storedDocument, storedTarball, type Corpus } from './corpus.js';

const gzip = promisify(gzipCallback);
const CACHE_CONTROL = 'public, max-age=300';
const TARBALL_TYPE = 'application/octet-stream';
const DEFAULT_PORT = 48_017;
const NO_CACHE_HEADERS = process.env.BENCH_NO_CACHE_HEADERS === '1';

export interface Rendered {
  type: string;
  plain: Buffer;
  gzipped: Buffer;
  etag: string;
  lastModified: string | null;
}

export type RequestKind = 'full' | 'abbreviated' | 'tarball' | 'keys' | 'other';

export interface ServedRequest {
  kind: RequestKind;
  path: string;
  accept: string;
  status: number;
  /** Bytes on the wire (compressed when gzip was asked for). */
  bytes: number;
  /** When the request arrived and when its answer was written (Date.now()), for timelines of a run. */
  at: number;
  done: number;
}

export interface SigningKey {
  keyid: string;
  privateKey: KeyObject;
  keys: object;
}

export interface BenchRegistry {
  url: string;
  requests: ServedRequest[];
  reset(): void;
  /** Renders the corpus documents of these names (those not rendered yet); returns the versions signed. */
  render(names: Iterable<string>): Promise<{ documents: number; versions: number; missing: string[] }>;
  close(): Promise<void>;
}

interface State {
  corpus: Corpus;
  key: SigningKey;
  latencyMs: number;
  url: string;
  renderedDir: string;
  documents: Map<string, { full: Rendered; abbreviated: Rendered } | null>;
  tarballs: Map<string, Rendered | null>;
  keys: Rendered | null;
  requests: ServedRequest[];
}

export async function startBenchRegistry(corpus: Corpus, key: SigningKey, latencyMs: number): Promise<BenchRegistry> {
  const state: State = { corpus, key, latencyMs, url: '', renderedDir: '', documents: new Map(), tarballs: new Map(), keys: null, requests: [] };
  const server = createServer({ keepAlive: true }, (req, res) => void handle(state, req, res).catch(() => res.destroy()));
  server.keepAliveTimeout = 30_000;
  await listen(server, Number(process.env.BENCH_PORT) || DEFAULT_PORT);
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}/`;
  state.renderedDir = join(corpus.dir, 'rendered', `${RENDERING}-${port}-${key.keyid.replace(/[^A-Za-z0-9]/g, '').slice(6, 22)}`);
  await mkdir(state.renderedDir, { recursive: true });
  state.keys = await rendered(Buffer.from(JSON.stringify(key.keys)), 'application/json', null);
  return {
    url: state.url,
    requests: state.requests,
    reset: () => void state.requests.splice(0),
    render: (names) => renderAll(state, names),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function renderAll(state: State, names: Iterable<string>): Promise<{ documents: number; versions: number; missing: string[] }> {
  let documents = 0;
  let versions = 0;
  const missing: string[] = [];
  for (const name of names) {
    if (state.documents.has(name)) continue;
    const stored = await storedRendering(state, name);
    if (stored !== undefined) {
      state.documents.set(name, stored);
      if (stored) documents++;
      else missing.push(name);
      continue;
    }
    const raw = await storedDocument(state.corpus, name);
    if (!raw) {
      state.documents.set(name, null);
      await writeFile(`${renderedBase(state, name)}.missing`, '');
      missing.push(name);
      continue;
    }
    const doc = JSON.parse(raw.toString('utf8')) as Packument;
    versions += signEveryVersion(state, doc);
    withModified(doc);
    const modified = lastModifiedOf(doc);
    const [full, abbreviated] = await Promise.all([rendered(Buffer.from(JSON.stringify(doc)), 'application/json', modified), rendered(Buffer.from(JSON.stringify(abbreviate(doc))), CORGI_TYPE, modified)]);
    state.documents.set(name, { full, abbreviated });
    await storeRendering(state, name, full, abbreviated);
    documents++;
  }
  return { documents, versions, missing };
}

// renderings are kept next to the corpus, per bench key, port and rendering rules: the next bench run on the same port serves them as they are
const RENDERING = 'r2';

function renderedBase(state: State, name: string): string {
  return join(state.renderedDir, encodeURIComponent(name));
}

async function storedRendering(state: State, name: string): Promise<{ full: Rendered; abbreviated: Rendered } | null | undefined> {
  const base = renderedBase(state, name);
  if (existsSync(`${base}.missing`)) return null;
  const meta = await readFile(`${base}.meta.json`, 'utf8').catch(() => null);
  if (meta === null) return undefined;
  const { full, abbreviated } = JSON.parse(meta) as Record<'full' | 'abbreviated', Omit<Rendered, 'plain' | 'gzipped'>>;
  const read = async (kind: string, head: Omit<Rendered, 'plain' | 'gzipped'>): Promise<Rendered> => ({ ...head, plain: await readFile(`${base}.${kind}.json`), gzipped: await readFile(`${base}.${kind}.json.gz`) });
  return { full: await read('full', full), abbreviated: await read('abbreviated', abbreviated) };
}

async function storeRendering(state: State, name: string, full: Rendered, abbreviated: Rendered): Promise<void> {
  const base = renderedBase(state, name);
  for (const [kind, reply] of [['full', full], ['abbreviated', abbreviated]] as const) {
    await writeFile(`${base}.${kind}.json`, reply.plain);
    await writeFile(`${base}.${kind}.json.gz`, reply.gzipped);
  }
  const head = ({ type, etag, lastModified }: Rendered) => ({ type, etag, lastModified });
  await writeFile(`${base}.meta.json`, JSON.stringify({ full: head(full), abbreviated: head(abbreviated) }));
}

/** The registry this corpus comes from drops `time.modified`; a public registry keeps it (and the abbreviated document's `modified`). */
function withModified(doc: Packument): void {
  const time = doc.time;
  if (!time || typeof time.modified === 'string') return;
  const latest = Object.values(time).reduce((max, iso) => Math.max(max, Date.parse(String(iso)) || 0), 0);
  if (latest > 0) time.modified = new Date(latest).toISOString();
}

/** Signs `name@version:integrity` of every version and points its tarball at this registry. */
function signEveryVersion(state: State, doc: Packument): number {
  let count = 0;
  for (const manifest of Object.values(doc.versions ?? {})) {
    const dist = manifest?.dist;
    if (!dist || typeof dist.integrity !== 'string') continue;
    dist.signatures = [{ keyid: state.key.keyid, sig: sign('sha256', Buffer.from(`${doc.name}@${manifest.version}:${dist.integrity}`), state.key.privateKey).toString('base64') }];
    delete dist.attestations;
    if (typeof dist.tarball === 'string') dist.tarball = dist.tarball.replace(/^https?:\/\/[^/]+\//, state.url);
    count++;
  }
  return count;
}

/** The fixed port (so renderings can be reused), else any free one. */
async function listen(server: Server, port: number): Promise<void> {
  for (const candidate of [port, 0]) {
    try {
      server.listen(candidate, '127.0.0.1');
      await once(server, 'listening');
      return;
    } catch {
      // taken: any port will do
    }
  }
}

function lastModifiedOf(doc: Packument): string | null {
  const iso = doc.time?.modified ?? doc.modified;
  const time = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(time) ? null : new Date(time).toUTCString();
}

async function rendered(plain: Buffer, type: string, lastModified: string | null): Promise<Rendered> {
  return { type, plain, gzipped: await gzip(plain), etag: `"${createHash('sha1').update(plain).digest('hex')}"`, lastModified };
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const accept = req.headers.accept ?? '';
  const record: ServedRequest = { kind: 'other', path: req.url ?? '/', accept, status: 0, bytes: 0, at: Date.now(), done: 0 };
  state.requests.push(record);
  res.on('finish', () => (record.done = Date.now()));
  await delay(state.latencyMs);
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const decoded = safeDecode(path);
  let reply: Rendered | null = null;
  if (decoded === '/-/npm/v1/keys') {
    record.kind = 'keys';
    reply = state.keys;
  } else if (/\/-\/[^/]+\.tgz$/.test(decoded)) {
    record.kind = 'tarball';
    reply = await tarball(state, decoded);
  } else {
    const abbreviated = accept.includes(CORGI_TYPE);
    record.kind = abbreviated ? 'abbreviated' : 'full';
    const name = decoded.slice(1);
    if (!state.documents.has(name)) await renderAll(state, [name]);
    const doc = state.documents.get(name);
    reply = doc ? (abbreviated ? doc.abbreviated : doc.full) : null;
  }
  if (res.destroyed) return;
  if (!reply) {
    record.status = 404;
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    return;
  }
  // BENCH_NO_CACHE_HEADERS=1: a registry (some mirrors and proxies) that sends no freshness and no validators
  const headers: Record<string, string | number> = NO_CACHE_HEADERS
    ? { 'content-type': reply.type }
    : { 'content-type': reply.type, 'cache-control': CACHE_CONTROL, etag: reply.etag, vary: 'Accept, Accept-Encoding', ...(reply.lastModified ? { 'last-modified': reply.lastModified } : {}) };
  if (!NO_CACHE_HEADERS && notModified(req, reply)) {
    record.status = 304;
    res.writeHead(304, headers).end();
    return;
  }
  // tarballs are already compressed: the registry sends them as they are
  const gzipped = reply.type !== TARBALL_TYPE && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzipped ? reply.gzipped : reply.plain;
  record.status = 200;
  record.bytes = req.method === 'HEAD' ? 0 : body.length;
  res.writeHead(200, { ...headers, 'content-length': body.length, ...(gzipped ? { 'content-encoding': 'gzip' } : {}) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function tarball(state: State, path: string): Promise<Rendered | null> {
  if (!state.tarballs.has(path)) {
    const body = await storedTarball(state.corpus, path);
    state.tarballs.set(path, body ? { type: TARBALL_TYPE, plain: body, gzipped: body, etag: `"${createHash('sha1').update(body).digest('hex')}"`, lastModified: null } : null);
  }
  return state.tarballs.get(path) ?? null;
}

function notModified(req: IncomingMessage, reply: Rendered): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return ifNoneMatch.split(',').some((tag) => ['*', reply.etag].includes(tag.trim().replace(/^W\//, '')));
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  const modified = Date.parse(reply.lastModified ?? '');
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
