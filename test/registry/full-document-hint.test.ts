import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LockedPackage } from '../../src/inventory/model.js';
import { FactsCache } from '../../src/registry/facts/cache.js';
import { fetchDocument, inlineDocuments, type DocumentSource } from '../../src/registry/facts/document-source.js';
import { gatherFacts } from '../../src/registry/facts/gather.js';
import type { RegistryFacts } from '../../src/registry/facts/model.js';
import { WorkerDocuments } from '../../src/registry/facts/worker-document-source.js';
import { packument } from '../helpers/packuments.js';
import { CORGI_TYPE, startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { clientFor, factsById, sandbox, type Sandbox } from './setup.js';

const NOW = new Date('2026-03-24T12:00:00.000Z');
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString();
const WINDOW_START = NOW.getTime() - 30 * DAY;

let registry: RegistryServer;
let box: Sandbox;

beforeEach(async () => {
  box = await sandbox();
  registry = await startRegistry({
    packuments: {
      // changed inside the window: its locked version needs a publish time
      fresh: packument('fresh', [
        { version: '1.0.0', publishedAt: at(200) },
        { version: '1.1.0', publishedAt: at(2) },
      ]),
      // unchanged for months: the abbreviated document says all the facts need
      settled: packument('settled', [
        { version: '2.0.0', publishedAt: at(300) },
        { version: '2.1.0', publishedAt: at(120) },
      ]),
      scripted: packument('scripted', [{ version: '3.0.0', publishedAt: at(400), scripts: { postinstall: 'node setup.js' } }]),
    },
    keys: { keys: [] },
  });
});

afterEach(async () => {
  await registry.close();
  await box.cleanup();
});

function requested(name: string): string[] {
  return registry.requests.filter((request) => request.path === `/${name}`).map((request) => (request.accept?.includes(CORGI_TYPE) ? 'abbreviated' : 'full'));
}

describe('fetchDocument: the full document in place of the abbreviated one', () => {
  it("fetches the full document once the abbreviated answer's Last-Modified falls inside the window, keeping the abbreviated validators", async () => {
    const client = await clientFor(box, registry.url);
    const plain = await client.documentBytes('fresh', 'abbreviated');
    registry.reset();
    const received = await fetchDocument(client, 'fresh', 'abbreviated', { fullAfter: WINDOW_START });
    expect(received.document).toBe('full');
    expect(requested('fresh')).toEqual(['abbreviated', 'full']);
    // what the facts cache revalidates later is the abbreviated document
    expect(received.validators.etag).toBe(plain.validators.etag);
    expect(received.validators.lastModified).toBe(plain.validators.lastModified);
    expect(JSON.parse(received.body.toString()).time['1.1.0']).toBe(at(2));
    expect(received.decode).toBeUndefined();
  });

  it('keeps the abbreviated document when it last changed before the window, or says nothing about when', async () => {
    const client = await clientFor(box, registry.url);
    const settled = await fetchDocument(client, 'settled', 'abbreviated', { fullAfter: WINDOW_START });
    expect(settled.document).toBe('abbreviated');
    expect(JSON.parse(settled.body.toString()).versions['2.1.0'].version).toBe('2.1.0');
    expect(requested('settled')).toEqual(['abbreviated']);
    // no hint: the document asked for, whatever its age
    expect((await fetchDocument(client, 'fresh', 'abbreviated', {})).document).toBe('abbreviated');
    expect((await fetchDocument(client, 'settled', 'full', { fullAfter: -Infinity })).document).toBe('full');
  });

  it('always fetches the full document for -Infinity (the strict tier, install scripts)', async () => {
    const client = await clientFor(box, registry.url);
    const received = await fetchDocument(client, 'settled', 'abbreviated', { fullAfter: -Infinity });
    expect(received.document).toBe('full');
    expect(requested('settled')).toEqual(['abbreviated', 'full']);
  });

  it('answers with the abbreviated document after all when the full one fails', async () => {
    const abbreviated = JSON.stringify({ name: 'flaky', 'dist-tags': { latest: '1.0.0' }, modified: at(1), versions: { '1.0.0': { name: 'flaky', version: '1.0.0', dist: { tarball: 'http://127.0.0.1:9/flaky.tgz', integrity: 'sha512-AAAA' } } } });
    const server: Server = createServer((req, res) => {
      if (!req.headers.accept?.includes(CORGI_TYPE)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': CORGI_TYPE, 'content-encoding': 'gzip', 'last-modified': new Date(at(1)).toUTCString() }).end(gzipSync(abbreviated));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = await clientFor(box, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const received = await fetchDocument(client, 'flaky', 'abbreviated', { fullAfter: WINDOW_START });
      expect(received.document).toBe('abbreviated');
      expect(received.body.toString()).toBe(abbreviated);
      expect(received.fullFailure).toMatchObject({ kind: 'not-found', status: 404 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function locked(name: string, version: string, hasInstallScript: boolean | null = null): LockedPackage {
  return { id: `${name}@${version}`, name, version, aliases: [], resolved: null, integrity: null, source: 'registry', direct: true, dev: false, optional: false, peer: false, workspaces: [], paths: [[name]], instances: 1, lockfileLine: null, hasInstallScript };
}

const PACKAGES = [locked('fresh', '1.1.0'), locked('settled', '2.1.0'), locked('scripted', '3.0.0', true)];

async function gather(documents: DocumentSource): Promise<RegistryFacts> {
  const client = await clientFor(box, registry.url);
  try {
    return await gatherFacts(PACKAGES, { client, now: NOW, windowFor: () => 30 * DAY, wantsFullDocument: () => false, factsCache: await FactsCache.open(null), documents });
  } finally {
    await documents.close();
  }
}


describe('the registry facts with the full document fetched in place', () => {
  it('ask a failing full document once: its failure is reported with the facts of the abbreviated one', async () => {
    const abbreviated = JSON.stringify({ name: 'flaky', 'dist-tags': { latest: '1.0.0' }, modified: at(1), versions: { '1.0.0': { name: 'flaky', version: '1.0.0', dist: { tarball: 'http://127.0.0.1:9/flaky.tgz', integrity: 'sha512-AAAA' } } } });
    let fullAsked = 0;
    const server: Server = createServer((req, res) => {
      if (req.headers.accept?.includes(CORGI_TYPE)) return void res.writeHead(200, { 'content-type': CORGI_TYPE, 'last-modified': new Date(at(1)).toUTCString() }).end(abbreviated);
      fullAsked++;
      res.writeHead(503).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = await clientFor(box, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { retry: { retries: 0, factor: 1, minTimeout: 1, maxTimeout: 1 } });
      const facts = await gatherFacts([locked('flaky', '1.0.0')], { client, now: NOW, windowFor: () => 30 * DAY, wantsFullDocument: () => false, factsCache: await FactsCache.open(null), documents: inlineDocuments(client) });
      expect(facts.packages.get('flaky@1.0.0')).toMatchObject({ status: 'error', error: expect.stringMatching(/^full document: HTTP 503/), locked: { integrity: 'sha512-AAAA' } });
      expect(fullAsked).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });


  it('are the facts of reading the abbreviated document first, with the same requests', async () => {
    const client = await clientFor(box, registry.url);
    const inline = inlineDocuments(client);
    // the same source with the hint taken away: the abbreviated document is read, then the full one asked for
    const unhinted: DocumentSource = { content: (name, kind, request) => inline.content(name, kind, { locked: request.locked, reuse: request.reuse, ...(request.conditional ? { conditional: request.conditional } : {}) }), close: () => inline.close() };
    const before = await gather(unhinted);
    const beforeRequests = [...registry.requests].map((request) => `${request.path} ${request.accept?.includes(CORGI_TYPE) ? 'abbreviated' : 'full'}`).sort();
    registry.reset();
    const hinted = await gather(inlineDocuments(client));
    expect(factsById(hinted)).toEqual(factsById(before));
    expect(registry.requests.map((request) => `${request.path} ${request.accept?.includes(CORGI_TYPE) ? 'abbreviated' : 'full'}`).sort()).toEqual(beforeRequests);
    expect(hinted.packages.get('fresh@1.1.0')).toMatchObject({ document: 'full', locked: { publishedAt: at(2) } });
    expect(hinted.packages.get('scripted@3.0.0')).toMatchObject({ document: 'full', locked: { installScripts: { postinstall: 'node setup.js' } } });
    expect(hinted.packages.get('settled@2.1.0')).toMatchObject({ document: 'abbreviated', locked: { publishedAt: null } });
  });

  // the worker thread runs the build's dist/registry/document-worker.js (`npm test` builds first)
  it('follow the hints a prefetch carries, on the worker and on this thread alike', async () => {
    const client = await clientFor(box, registry.url);
    const documents = new WorkerDocuments(client);
    documents.prefetch(['fresh', 'settled', 'scripted'], { settled: -Infinity, fresh: WINDOW_START });
    const facts = await gather(documents);
    // only the hint says `settled` is wanted in full: the facts show it was read from the full document
    expect(facts.packages.get('settled@2.1.0')).toMatchObject({ document: 'full', locked: { publishedAt: at(120) } });
    expect(facts.packages.get('fresh@1.1.0')).toMatchObject({ document: 'full', locked: { publishedAt: at(2) } });
    for (const name of ['fresh', 'settled']) expect(requested(name)).toEqual(['abbreviated', 'full']);
  });
});
