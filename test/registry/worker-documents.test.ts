import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LockedPackage } from '../../src/inventory/model.js';
import { AuditError } from '../../src/model/errors.js';
import { FactsCache } from '../../src/registry/facts/cache.js';
import type { RegistryFacts } from '../../src/registry/facts/model.js';
import { gatherFacts } from '../../src/registry/facts/gather.js';
import { WorkerDocuments } from '../../src/registry/facts/worker-document-source.js';
import { documentWorker, dropPreloadedWorker, preloadDocumentWorker } from '../../src/registry/facts/document-worker-thread.js';
import { packument } from '../helpers/packuments.js';
import { CORGI_TYPE, startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { clientFor, closedPort, factsById, sandbox, type Sandbox } from './setup.js';

const NOW = new Date('2026-03-24T12:00:00.000Z');
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString();

let registry: RegistryServer;
let box: Sandbox;

beforeEach(async () => {
  box = await sandbox();
  registry = await startRegistry({
    packuments: {
      'left-pad': packument('left-pad', [
        { version: '1.0.0', publishedAt: at(300) },
        { version: '1.1.0', publishedAt: at(90), deprecated: 'use String.prototype.padStart' },
      ]),
      builder: packument('builder', [
        { version: '2.0.0', publishedAt: at(200) },
        { version: '2.1.0', publishedAt: at(90), scripts: { postinstall: 'node build.js' } },
      ]),
      '@scope/fresh': packument('@scope/fresh', [
        { version: '0.9.0', publishedAt: at(40) },
        { version: '1.0.0', publishedAt: at(0.1) },
      ]),
      gone: packument('gone', [{ version: '1.0.0', publishedAt: at(100) }]),
      broken: packument('broken', [{ version: '1.0.0', publishedAt: at(100) }]),
      failing: packument('failing', [{ version: '1.0.0', publishedAt: at(100) }]),
    },
    keys: { keys: [] },
  });
  registry.setFault('broken', { kind: 'garbage' });
  registry.setFault('failing', { kind: 'status', status: 500 });
});

afterEach(async () => {
  await registry.close();
  await box.cleanup();
});

function locked(name: string, version: string): LockedPackage {
  return { id: `${name}@${version}`, name, version, aliases: [], resolved: null, integrity: null, source: 'registry', direct: true, dev: false, optional: false, peer: false, workspaces: [], paths: [[name]], instances: 1, lockfileLine: null, hasInstallScript: null };
}

const PACKAGES = [locked('left-pad', '1.1.0'), locked('builder', '2.1.0'), locked('@scope/fresh', '1.0.0'), locked('gone', '2.0.0'), locked('broken', '1.0.0'), locked('failing', '1.0.0'), locked('absent', '1.0.0')];

async function gather(documents: 'inline' | WorkerDocuments | ((client: Awaited<ReturnType<typeof clientFor>>) => WorkerDocuments), client?: Awaited<ReturnType<typeof clientFor>>): Promise<RegistryFacts> {
  client ??= await clientFor(box, registry.url);
  const source = typeof documents === 'function' ? documents(client) : documents === 'inline' ? undefined : documents;
  try {
    return await gatherFacts(PACKAGES, { client, now: NOW, windowFor: () => DAY, wantsFullDocument: () => false, factsCache: await FactsCache.open(null), documents: source });
  } finally {
    await source?.close();
  }
}

function requested(): string[] {
  return registry.requests.map((request) => `${request.path} ${request.accept?.includes(CORGI_TYPE) ? 'abbreviated' : 'full'}`).sort();
}

// the worker thread runs the build's dist/registry/document-worker.js (`npm test` builds first)
describe('registry documents on a worker thread', () => {
  it('gives exactly the facts, errors and requests of fetching inline', async () => {
    const inline = await gather('inline');
    const inlineRequests = requested();
    registry.reset();
    const onWorker = await gather((client) => new WorkerDocuments(client));
    expect(factsById(onWorker)).toEqual(factsById(inline));
    expect(onWorker.errors.map((error) => error.message).sort()).toEqual(inline.errors.map((error) => error.message).sort());
    expect(requested()).toEqual(inlineRequests);
    // the cases the comparison covers: a full document for scripts and a recent change, unpublished, malformed, 5xx, no package
    expect(onWorker.packages.get('builder@2.1.0')).toMatchObject({ status: 'ok', document: 'full', locked: { installScripts: { postinstall: 'node build.js' } } });
    expect(onWorker.packages.get('@scope/fresh@1.0.0')).toMatchObject({ status: 'ok', document: 'full', locked: { publishedAt: at(0.1) } });
    expect(onWorker.packages.get('left-pad@1.1.0')).toMatchObject({ status: 'ok', document: 'abbreviated', locked: { deprecated: 'use String.prototype.padStart' } });
    expect(onWorker.packages.get('gone@2.0.0')?.status).toBe('version-not-found');
    expect(onWorker.packages.get('broken@1.0.0')).toMatchObject({ status: 'error', error: expect.stringContaining('malformed') });
    expect(onWorker.packages.get('failing@1.0.0')).toMatchObject({ status: 'error', error: expect.stringContaining('HTTP 500') });
    expect(onWorker.packages.get('absent@1.0.0')?.status).toBe('package-not-found');
  });

  it('gives the same facts from a worker preloaded before the configuration was known, and takes it only once', async () => {
    const inline = await gather('inline');
    registry.reset();
    const client = await clientFor(box, registry.url);
    const init = { config: { registry: client.config.registry, scopedRegistries: client.config.scopedRegistries, defaultRegistry: client.config.defaultRegistry, flat: client.config.flat }, options: client.options };
    // the preloaded thread is the one handed out, once; the next is a new one
    const preloadedId = preloadDocumentWorker();
    const first = documentWorker(init);
    const second = documentWorker(init);
    expect(first.threadId).toBe(preloadedId);
    expect(second.threadId).not.toBe(preloadedId);
    await Promise.all([first.terminate(), second.terminate()]);
    preloadDocumentWorker();
    const onPreloaded = await gather((client) => {
      const pool = new WorkerDocuments(client);
      pool.prefetch(['left-pad', 'builder', '@scope/fresh', 'gone', 'broken', 'failing', 'absent']);
      return pool;
    });
    expect(factsById(onPreloaded)).toEqual(factsById(inline));
    expect(await dropPreloadedWorker()).toBe(false);
  });

  it('uses each prefetched document once, shares the queue with this thread, and never asks for a document twice', async () => {
    const inline = await gather('inline');
    registry.reset();
    let pool: WorkerDocuments | null = null;
    const onWorkers = await gather((client) => {
      pool = new WorkerDocuments(client);
      pool.prefetch(['left-pad', 'builder', '@scope/fresh', 'gone', 'broken', 'failing', 'absent']);
      pool.prefetch(['left-pad', 'builder']);
      return pool;
    });
    expect(pool).not.toBeNull();
    expect(factsById(onWorkers)).toEqual(factsById(inline));
    // retries of the 500 aside, every document is asked for once
    const once = requested().filter((line) => !line.startsWith('/failing '));
    expect(once).toEqual([...new Set(once)]);
    expect(once.filter((line) => line.endsWith('abbreviated'))).toHaveLength(6);
  });

  it.each([
    ['prefetched', true],
    ['asked for without a prefetch (other lockfile formats)', false],
  ])('fetches part of the queue on this thread once it asks, within the one concurrency limit: %s', async (_label, prefetch) => {
    const inline = await gather('inline');
    registry.reset();
    const client = await clientFor(box, registry.url, { concurrency: 2 });
    // slow answers, so requests overlap and the limit is what bounds them
    for (const name of ['left-pad', 'builder', '@scope/fresh', 'gone', 'absent']) registry.setFault(name, { kind: 'slow', ms: 40 });
    const shared = await gather((worker) => {
      const pool = new WorkerDocuments(worker);
      if (prefetch) pool.prefetch(['left-pad', 'builder', '@scope/fresh', 'gone', 'broken', 'failing', 'absent']);
      return pool;
    }, client);
    expect(factsById(shared)).toEqual(factsById(inline));
    // this thread's client counts only what this thread fetched; the worker fetched the rest
    expect(client.stats.requests).toBeGreaterThan(0);
    expect(client.stats.requests).toBeLessThan(registry.requests.length);
    expect(registry.mostInFlight).toBe(2);
    const once = requested().filter((line) => !line.startsWith('/failing '));
    expect(once).toEqual([...new Set(once)]);
  });

  it('ends the run when the registry never answers, naming it, as inline fetching does', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/`;
    const client = await clientFor(box, dead);
    const documents = new WorkerDocuments(client);
    documents.prefetch(['left-pad']);
    const run = gatherFacts([locked('left-pad', '1.1.0')], { client, now: NOW, windowFor: () => DAY, wantsFullDocument: () => false, factsCache: await FactsCache.open(null), documents });
    await expect(run).rejects.toThrow(AuditError);
    await expect(run).rejects.toThrow(dead);
    await documents.close();
  });
});


describe('a run that needs few documents', () => {
  it('fetches its first ones on this thread without starting the worker, and hands the rest to the worker', async () => {
    const client = await clientFor(box, registry.url);
    const documents = new WorkerDocuments(client);
    try {
      const request = { locked: ['1.1.0'], reuse: {} };
      const few = await documents.content('left-pad', 'abbreviated', request);
      expect(few.content?.facts['1.1.0']?.deprecated).toBe('use String.prototype.padStart');
      expect(client.stats.requests).toBe(1);
      // one after another (a few at a time at most): all of the first 16 here
      for (let ask = 1; ask < 16; ask++) await documents.content('left-pad', 'abbreviated', request);
      expect(client.stats.requests).toBe(16);
      // past the first 16 the worker starts and takes some (this thread claims a share of them, as on a cold run)
      await Promise.all(Array.from({ length: 30 }, () => documents.content('left-pad', 'abbreviated', request)));
      expect(registry.requests.filter((entry) => entry.path === '/left-pad')).toHaveLength(46);
      expect(client.stats.requests).toBeLessThan(46);
    } finally {
      await documents.close();
    }
  });
});

describe('errors of the registry stage', () => {
  it('are listed in the lockfile order, not in the order the failures arrived', async () => {
    // the 500 is retried (with a back-off) before it fails; the garbage fails at once
    const client = await clientFor(box, registry.url);
    const facts = await gatherFacts([locked('failing', '1.0.0'), locked('absent', '1.0.0'), locked('broken', '1.0.0')], { client, now: NOW, windowFor: () => DAY, wantsFullDocument: () => false, factsCache: await FactsCache.open(null) });
    expect(facts.errors.map((error) => error.package?.name)).toEqual(['failing', 'broken']);
  });
});

describe('documents on both threads at once', () => {
  it('keeps to the one concurrency limit when a burst of asks outgrows the first ones fetched here', async () => {
    const names = Array.from({ length: 40 }, (_, index) => `burst-${index}`);
    const slow = await startRegistry({
      packuments: Object.fromEntries(names.map((name) => [name, packument(name, [{ version: '1.0.0', publishedAt: at(200) }])])),
      keys: { keys: [] },
      // slow enough that the first ones are still in flight once the worker has started
      latencyMs: 600,
    });
    const client = await clientFor(box, slow.url, { concurrency: 16 });
    const documents = new WorkerDocuments(client);
    try {
      const answers = await Promise.all(names.map((name) => documents.content(name, 'abbreviated', { locked: ['1.0.0'], reuse: {} })));
      expect(answers.every((answer) => answer.content?.versions.includes('1.0.0'))).toBe(true);
      expect(slow.requests).toHaveLength(40);
      expect(client.stats.requests).toBeGreaterThan(0);
      expect(slow.mostInFlight).toBeLessThanOrEqual(16);
    } finally {
      await documents.close();
      await slow.close();
    }
  });
});
