import { createHash } from 'node:crypto';
import { once, setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { tarballsOf, type Packument, type PackumentVersion } from './packuments.js';
import { substituteRegistry } from './placeholders.js';

export type { Packument } from './packuments.js';

export interface RegistryServer {
  /** `http://127.0.0.1:PORT/`, with a trailing slash. */
  url: string;
  requests: RequestRecord[];
  close(): Promise<void>;
  /** Keyed by request path (raw or decoded) or, for packument requests, by package name. */
  setFault(pathOrName: string, fault: Fault | null): void;
  /** Clears the request log (and the in-flight high-water mark). */
  reset(): void;
  /** The most requests in progress at once since the start or the last reset. */
  readonly mostInFlight: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  accept: string | undefined;
  /** The credentials sent, if any. */
  authorization: string | undefined;
  /** 0 while unanswered (e.g. a `hang` fault). */
  status: number;
  /** Body bytes written. */
  bytes: number;
  /** `Date.now()` when the request arrived. */
  at: number;
}

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'garbage' }
  | { kind: 'slow'; ms: number }
  | { kind: 'reset' }
  | { kind: 'oversized'; bytes: number }
  | { kind: 'hang' }
  /** Sends the headers and half the body, then nothing for `ms` (the rest after, unless the client gave up); only the first `times` requests (default: all). */
  | { kind: 'stall-body'; ms: number; times?: number };

export interface RegistryOptions {
  /** Served as they are at the first request for each: replace a document object to change it, do not edit it in place. */
  packuments: Record<string, Packument>;
  /** Keyed by URL path, e.g. `/name/-/name-1.0.0.tgz`; merged over tarballs built by `packument()`. */
  tarballs?: Record<string, Buffer>;
  /** Body of `/-/npm/v1/keys`; null or absent → 404. */
  keys?: object | null;
  /** Keyed by `name@version`. */
  attestations?: Record<string, object>;
  latencyMs?: number;
  faults?: Record<string, Fault>;
  /** Defaults to the public registry's `public, max-age=300`. */
  cacheControl?: string;
  /** The keys document's `Cache-Control`; absent: none (a client must ask again every run). */
  keysCacheControl?: string;
}

export const CORGI_TYPE = 'application/vnd.npm.install-v1+json';
const JSON_TYPE = 'application/json';
const KEYS_PATH = '/-/npm/v1/keys';
const ATTESTATIONS_PREFIX = '/-/npm/v1/attestations/';
const GARBAGE = Buffer.from('<!DOCTYPE html>\u0000\u00ff{"name": not json at all');

interface Reply {
  status: number;
  type: string;
  body: Buffer;
  headers?: Record<string, string>;
}

interface Route {
  reply: Reply;
  faultKeys: string[];
}

interface Context {
  opts: RegistryOptions;
  url: string;
  tarballs: Record<string, Buffer>;
  faults: Map<string, Fault>;
  requests: RequestRecord[];
  closing: AbortSignal;
  /** Rendered packument replies (full and abbreviated) per document object: a remote registry's serving costs are not ours to measure. */
  rendered: WeakMap<Packument, { full?: Reply; corgi?: Reply }>;
  inFlight: number;
  mostInFlight: number;
}

export async function startRegistry(opts: RegistryOptions): Promise<RegistryServer> {
  const closing = new AbortController();
  const context: Context = {
    opts,
    url: '',
    tarballs: { ...tarballsOf(opts.packuments), ...opts.tarballs },
    faults: new Map(Object.entries(opts.faults ?? {})),
    requests: [],
    closing: closing.signal,
    rendered: new WeakMap(),
    inFlight: 0,
    mostInFlight: 0,
  };
  // every delayed request listens for the close
  setMaxListeners(0, closing.signal);
  const server = createServer({ keepAlive: true }, (req, res) => {
    context.mostInFlight = Math.max(context.mostInFlight, ++context.inFlight);
    res.on('close', () => context.inFlight--);
    handle(context, req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  context.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let closed: Promise<void> | undefined;
  return {
    url: context.url,
    requests: context.requests,
    close: () => (closed ??= closeServer(server, closing)),
    setFault: (key, fault) => (fault ? context.faults.set(key, fault) : context.faults.delete(key)),
    reset: () => {
      context.requests.splice(0);
      context.mostInFlight = context.inFlight;
    },
    get mostInFlight() {
      return context.mostInFlight;
    },
  };
}

async function closeServer(server: Server, closing: AbortController): Promise<void> {
  closing.abort();
  const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  server.closeAllConnections();
  await closed;
}

async function handle(context: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const record = recordRequest(context, req);
  if (!(await pause(context.opts.latencyMs ?? 0, context.closing))) return;

  const route = routeRequest(context, req);
  const fault = findFault(context.faults, route.faultKeys);
  if (fault?.kind === 'hang') return;
  if (fault?.kind === 'slow' && !(await pause(fault.ms, context.closing))) return;
  if (res.destroyed) return;

  const reply = fault ? faultedReply(fault, route.reply, req) : route.reply;
  if (fault?.kind === 'reset') return resetMidResponse(res, reply, record);
  if (fault?.kind === 'oversized') return streamOversized(res, reply, fault.bytes, record);
  if (fault?.kind === 'stall-body' && (fault.times === undefined || fault.times-- > 0)) return stallMidBody(res, reply, fault.ms, record, context.closing);
  send(res, conditional(req, reply), record);
}

function recordRequest(context: Context, req: IncomingMessage): RequestRecord {
  const record: RequestRecord = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    accept: req.headers.accept,
    authorization: req.headers.authorization,
    status: 0,
    bytes: 0,
    at: Date.now(),
  };
  context.requests.push(record);
  return record;
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function routeRequest(context: Context, req: IncomingMessage): Route {
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  const path = safeDecode(rawPath);
  const faultKeys = [rawPath, path];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { reply: jsonReply(405, { error: 'Method not allowed' }), faultKeys };
  }
  if (path === KEYS_PATH) return { reply: keysReply(context.opts.keys, context.opts.keysCacheControl), faultKeys };
  if (path.startsWith(ATTESTATIONS_PREFIX)) {
    return { reply: attestationsReply(context, path.slice(ATTESTATIONS_PREFIX.length)), faultKeys };
  }
  const tarball = context.tarballs[rawPath] ?? context.tarballs[path];
  if (tarball) return { reply: { status: 200, type: 'application/octet-stream', body: tarball }, faultKeys };
  const name = path.slice(1);
  return { reply: packumentReply(context, name, wantsCorgi(req)), faultKeys: [...faultKeys, name] };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function findFault(faults: Map<string, Fault>, keys: string[]): Fault | undefined {
  for (const key of keys) {
    const fault = faults.get(key);
    if (fault) return fault;
  }
  return undefined;
}

function wantsCorgi(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes(CORGI_TYPE);
}

function keysReply(keys: object | null | undefined, cacheControl: string | undefined): Reply {
  if (!keys) return notFound();
  const reply = jsonReply(200, keys);
  return cacheControl ? { ...reply, headers: { 'cache-control': cacheControl } } : reply;
}

function attestationsReply(context: Context, spec: string): Reply {
  const doc = context.opts.attestations?.[spec];
  return doc ? jsonReply(200, doc, context.url) : notFound();
}

function packumentReply(context: Context, name: string, corgi: boolean): Reply {
  const doc = Object.hasOwn(context.opts.packuments, name) ? context.opts.packuments[name] : undefined;
  if (!doc) return notFound();
  const rendered = context.rendered.get(doc) ?? {};
  context.rendered.set(doc, rendered);
  const key = corgi ? 'corgi' : 'full';
  return (rendered[key] ??= renderPackument(context, doc, corgi));
}

function renderPackument(context: Context, doc: Packument, corgi: boolean): Reply {
  const reply = jsonReply(200, corgi ? abbreviate(doc) : doc, context.url, corgi ? CORGI_TYPE : JSON_TYPE);
  const modified = lastModified(doc);
  reply.headers = {
    'cache-control': context.opts.cacheControl ?? 'public, max-age=300',
    vary: 'Accept, Accept-Encoding',
    ...(modified ? { 'last-modified': modified } : {}),
  };
  return reply;
}

function lastModified(doc: Packument): string | null {
  const iso = doc.modified ?? doc.time?.modified;
  const time = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(time) ? null : new Date(time).toUTCString();
}

function jsonReply(status: number, doc: unknown, url?: string, type = JSON_TYPE): Reply {
  const text = JSON.stringify(doc);
  return { status, type, body: Buffer.from(url ? substituteRegistry(text, url) : text) };
}

function notFound(): Reply {
  return jsonReply(404, { error: 'Not found' });
}

const CORGI_VERSION_FIELDS = [
  'name',
  'version',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'directories',
  'engines',
  'cpu',
  'os',
  '_hasShrinkwrap',
  'deprecated',
  'dist',
] as const;

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** The abbreviated ("corgi") document the registry serves for install-v1 requests. */
export function abbreviate(doc: Packument): Record<string, unknown> {
  const versions: Record<string, Record<string, unknown>> = {};
  for (const [version, manifest] of Object.entries(doc.versions)) {
    versions[version] = abbreviateVersion(manifest);
  }
  const modified = doc.modified ?? doc.time?.modified;
  return { name: doc.name, ...(modified ? { modified } : {}), 'dist-tags': doc['dist-tags'], versions };
}

function abbreviateVersion(manifest: PackumentVersion): Record<string, unknown> {
  const abbreviated: Record<string, unknown> = {};
  for (const field of CORGI_VERSION_FIELDS) {
    if (manifest[field] !== undefined) abbreviated[field] = manifest[field];
  }
  if (hasInstallScript(manifest)) abbreviated.hasInstallScript = true;
  return abbreviated;
}

function hasInstallScript(manifest: PackumentVersion): boolean {
  return manifest.hasInstallScript === true || INSTALL_SCRIPTS.some((script) => manifest.scripts?.[script] !== undefined);
}

function faultedReply(fault: Fault, reply: Reply, req: IncomingMessage): Reply {
  switch (fault.kind) {
    case 'status':
      return jsonReply(fault.status, { error: `Injected status ${fault.status}` });
    case 'garbage':
      return { status: 200, type: wantsCorgi(req) ? CORGI_TYPE : JSON_TYPE, body: GARBAGE };
    default:
      return reply;
  }
}

const etags = new WeakMap<Buffer, string>();

function conditional(req: IncomingMessage, reply: Reply): Reply {
  if (reply.status !== 200) return reply;
  const etag = etags.get(reply.body) ?? `"${createHash('sha1').update(reply.type).update(reply.body).digest('hex')}"`;
  etags.set(reply.body, etag);
  const withEtag: Reply = { ...reply, headers: { ...reply.headers, etag } };
  return isNotModified(req, withEtag, etag) ? { ...withEtag, status: 304, body: Buffer.alloc(0) } : withEtag;
}

function isNotModified(req: IncomingMessage, reply: Reply, etag: string): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag);
  }
  const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
  const modified = Date.parse(reply.headers?.['last-modified'] ?? '');
  return !Number.isNaN(ifModifiedSince) && !Number.isNaN(modified) && modified <= ifModifiedSince;
}

function replyHeaders(reply: Reply, length: number | null): Record<string, string | number> {
  return {
    'content-type': reply.type,
    ...(length === null ? {} : { 'content-length': length }),
    ...reply.headers,
  };
}

function send(res: ServerResponse, reply: Reply, record: RequestRecord): void {
  const hasBody = reply.status !== 304 && res.req.method !== 'HEAD';
  res.writeHead(reply.status, replyHeaders(reply, reply.status === 304 ? null : reply.body.length));
  res.end(hasBody ? reply.body : undefined);
  record.status = reply.status;
  record.bytes = hasBody ? reply.body.length : 0;
}

function resetMidResponse(res: ServerResponse, reply: Reply, record: RequestRecord): void {
  const half = reply.body.subarray(0, Math.max(1, Math.floor(reply.body.length / 2)));
  res.writeHead(reply.status, replyHeaders(reply, Math.max(reply.body.length, half.length + 1)));
  record.status = reply.status;
  record.bytes = half.length;
  res.write(half, () => res.socket?.destroy());
}

async function stallMidBody(res: ServerResponse, reply: Reply, ms: number, record: RequestRecord, closing: AbortSignal): Promise<void> {
  const half = Math.max(1, Math.floor(reply.body.length / 2));
  res.writeHead(reply.status, replyHeaders(reply, reply.body.length));
  record.status = reply.status;
  if (!(await writeChunk(res, reply.body.subarray(0, half), record))) return;
  if (!(await pause(ms, closing)) || res.destroyed) return;
  if (await writeChunk(res, reply.body.subarray(half), record)) res.end();
}

async function streamOversized(res: ServerResponse, reply: Reply, bytes: number, record: RequestRecord): Promise<void> {
  const { head, tail } = paddedJsonParts(reply);
  res.writeHead(200, replyHeaders({ ...reply, status: 200 }, null));
  record.status = 200;
  const padding = Math.max(0, bytes - head.length - tail.length);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  if (!(await writeChunk(res, head, record))) return;
  for (let left = padding; left > 0; left -= chunk.length) {
    if (!(await writeChunk(res, chunk.subarray(0, Math.min(left, chunk.length)), record))) return;
  }
  if (await writeChunk(res, tail, record)) res.end();
}

/** Splits the reply into `{"_padding":"` … `", <rest of the original object>` so the padded whole is valid JSON. */
function paddedJsonParts(reply: Reply): { head: Buffer; tail: Buffer } {
  const text = reply.body.toString('utf8');
  const rest = reply.status === 200 && text.startsWith('{') ? text.slice(1) : '}';
  return {
    head: Buffer.from('{"_padding":"'),
    tail: Buffer.from(rest === '}' ? '"}' : `",${rest}`),
  };
}

async function writeChunk(res: ServerResponse, chunk: Buffer, record: RequestRecord): Promise<boolean> {
  if (res.destroyed) return false;
  record.bytes += chunk.length;
  if (res.write(chunk)) return true;
  return new Promise((resolve) => {
    const settle = (writable: boolean) => () => {
      res.off('drain', onDrain).off('close', onClose);
      resolve(writable);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on('drain', onDrain).on('close', onClose);
  });
}
