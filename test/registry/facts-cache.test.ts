import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LockedPackage } from '../../src/inventory/model.js';
import { FactsCache, factsCachePath } from '../../src/registry/facts/cache.js';
import type { RegistryFacts } from '../../src/registry/facts/model.js';
import { gatherFacts } from '../../src/registry/facts/gather.js';
import { packument, type Packument } from '../helpers/packuments.js';
import { CORGI_TYPE, startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { clientFor, sandbox, type Sandbox } from './setup.js';
import { CacheAuth } from '../../src/util/cache-auth.js';

const FORMAT = 'ai-chain-audit/registry-facts/3';
// the key FactsCache.open uses when given none
const auth = CacheAuth.ephemeral();

const NOW = new Date('2026-03-24T12:00:00.000Z');
const DAY = 86_400_000;
const OLD = new Date(NOW.getTime() - 90 * DAY).toISOString();
const OLDER = new Date(NOW.getTime() - 200 * DAY).toISOString();

let registry: RegistryServer;
let box: Sandbox;
let docs: Record<string, Packument>;
/** The wall clock the facts cache judges freshness by. */
let clock: number;

beforeEach(async () => {
  box = await sandbox();
  clock = Date.parse('2026-03-24T12:00:00.000Z');
  docs = {
    'left-pad': packument('left-pad', [
      { version: '1.0.0', publishedAt: OLDER },
      { version: '1.1.0', publishedAt: OLD },
    ]),
    builder: packument('builder', [
      { version: '2.0.0', publishedAt: OLDER },
      { version: '2.1.0', publishedAt: OLD, scripts: { postinstall: 'node build.js' } },
    ]),
  };
  registry = await startRegistry({ packuments: docs, keys: { keys: [] } });
});

afterEach(async () => {
  await registry.close();
  await box.cleanup();
});

function locked(name: string, version: string): LockedPackage {
  return { id: `${name}@${version}`, name, version, aliases: [], resolved: null, integrity: null, source: 'registry', direct: true, dev: false, optional: false, peer: false, workspaces: [], paths: [[name]], instances: 1, lockfileLine: null, hasInstallScript: null };
}

const PACKAGES = [locked('left-pad', '1.1.0'), locked('builder', '2.1.0')];

/** One run of the registry stage against the loopback registry, with the facts cache in the sandbox's npm cache. */
async function run(options: { offline?: boolean; packages?: LockedPackage[] } = {}): Promise<RegistryFacts> {
  const client = await clientFor(box, registry.url, { offline: options.offline ?? false });
  const factsCache = await FactsCache.open(factsCachePath(box.cacheDir), () => clock);
  const facts = await gatherFacts(options.packages ?? PACKAGES, { client, now: NOW, windowFor: () => DAY, wantsFullDocument: () => false, factsCache });
  await factsCache.save();
  return facts;
}

function fetched(): string[] {
  return registry.requests.map((request) => `${request.status} ${request.path} ${request.accept?.includes(CORGI_TYPE) ? 'abbreviated' : 'full'}`);
}

describe('registry facts cache', () => {
  it('answers a warm run inside the HTTP freshness window from one file, without a request, with the same facts', async () => {
    const cold = await run();
    // the install script makes the full document necessary for builder only
    expect(fetched().sort()).toEqual(['200 /builder abbreviated', '200 /builder full', '200 /left-pad abbreviated']);
    registry.reset();
    clock += 60_000; // the loopback registry says max-age=300, like the public one
    const warm = await run();
    expect(registry.requests).toEqual([]);
    expect([...warm.packages.values()]).toEqual([...cold.packages.values()]);
    expect(warm.packages.get('builder@2.1.0')).toMatchObject({ status: 'ok', document: 'full', locked: { installScripts: { postinstall: 'node build.js' } }, previous: { version: '2.0.0', installScripts: {} } });
    expect(warm.packages.get('left-pad@1.1.0')).toMatchObject({ status: 'ok', document: 'abbreviated', locked: { publishedAt: null, installScripts: {} }, previous: { version: '1.0.0' } });
  });

  it('revalidates a stale entry with a conditional request: a 304 answers it, and the full document is not read again', async () => {
    const cold = await run();
    registry.reset();
    clock += 301_000;
    const revalidated = await run();
    expect(fetched().sort()).toEqual(['304 /builder abbreviated', '304 /left-pad abbreviated']);
    expect([...revalidated.packages.values()]).toEqual([...cold.packages.values()]);
    // a 304 makes the entry fresh again
    registry.reset();
    clock += 60_000;
    await run();
    expect(registry.requests).toEqual([]);
  });

  it('picks up a deprecation once stale, and keeps the publish time and scripts it already knew without the full document', async () => {
    await run();
    docs.builder = packument('builder', [
      { version: '2.0.0', publishedAt: OLDER },
      { version: '2.1.0', publishedAt: OLD, scripts: { postinstall: 'node build.js' }, deprecated: 'compromised release, use 2.0.0' },
    ]);
    registry.reset();
    clock += 30_000;
    expect((await run()).packages.get('builder@2.1.0')?.locked?.deprecated).toBeNull(); // still fresh: the registry said so
    clock += 300_000;
    const stale = await run();
    expect(fetched().sort()).toEqual(['200 /builder abbreviated', '304 /left-pad abbreviated']);
    expect(stale.packages.get('builder@2.1.0')).toMatchObject({
      status: 'ok',
      document: 'full',
      locked: { deprecated: 'compromised release, use 2.0.0', installScripts: { postinstall: 'node build.js' }, publishedAt: OLD },
    });
  });

  it('detects a version removed after it was cached, once the entry is stale', async () => {
    await run();
    docs['left-pad'] = packument('left-pad', [{ version: '1.0.0', publishedAt: OLDER }]);
    clock += 301_000;
    registry.reset();
    const facts = await run();
    // the new document's time no longer mentions 1.1.0 either: never listed here, as far as this registry says
    expect(facts.packages.get('left-pad@1.1.0')).toMatchObject({ status: 'version-not-found', locked: null, removed: false });
    // confirmed against the full document before it is called unpublished
    expect(fetched()).toContain('200 /left-pad full');
    // a cached "missing" is never served without asking the registry again
    registry.reset();
    clock += 1_000;
    expect((await run()).packages.get('left-pad@1.1.0')?.status).toBe('version-not-found');
    expect(fetched()).toContain('304 /left-pad abbreviated');
    // that confirmation of a still-fresh entry changes nothing: the file is not written again
    const file = factsCachePath(box.cacheDir) as string;
    const before = await readFile(file, 'utf8');
    await writeFile(file, before); // a new mtime to compare against
    const written = (await stat(file)).mtimeMs;
    clock += 1_000;
    await run();
    expect((await stat(file)).mtimeMs).toBe(written);
  });

  it('tells a version removed after publish (time keeps it) from one the registry never listed', async () => {
    const removed = packument('left-pad', [{ version: '1.0.0', publishedAt: OLDER }]);
    removed.time = { ...removed.time, '1.1.0': OLD };
    docs['left-pad'] = removed;
    const facts = await run({ packages: [locked('left-pad', '1.1.0'), locked('left-pad', '1.2.0')] });
    expect(facts.packages.get('left-pad@1.1.0')).toMatchObject({ status: 'version-not-found', removed: true });
    expect(facts.packages.get('left-pad@1.2.0')).toMatchObject({ status: 'version-not-found', removed: false });
    // the same answers from the cache
    registry.reset();
    clock += 1_000;
    const again = await run({ packages: [locked('left-pad', '1.1.0'), locked('left-pad', '1.2.0')] });
    expect(again.packages.get('left-pad@1.1.0')?.removed).toBe(true);
    expect(again.packages.get('left-pad@1.2.0')?.removed).toBe(false);
  });

  it('writes exactly the JSON of its entries, in the order JSON.stringify gives, and reads it back as written', async () => {
    await run();
    clock += 10 * DAY; // stale: both entries are revalidated and stored again, the second save writes them anew
    await run();
    const file = factsCachePath(box.cacheDir) as string;
    const payload = auth.open(FORMAT, await readFile(file)) ?? '';
    const parsed = JSON.parse(payload) as { format: string; entries: Record<string, unknown> };
    expect(Object.keys(parsed.entries)).toHaveLength(2);
    expect(payload).toBe(JSON.stringify(parsed));
    const reopened = await FactsCache.open(file, () => clock);
    for (const url of Object.keys(parsed.entries)) expect(reopened.get(url)).toEqual(parsed.entries[url]);
  });

  it('ignores a corrupt or foreign cache file (treated as empty) and replaces it', async () => {
    const file = factsCachePath(box.cacheDir) as string;
    await mkdir(dirname(file), { recursive: true });
    for (const content of ['{"format":"ai-chain-audit/registry-facts/3","entries":{"x"', JSON.stringify({ format: 'someone-else/1', entries: {} }), '\u0000\u0001binary']) {
      await writeFile(file, auth.seal(FORMAT, content));
      registry.reset();
      const facts = await run();
      expect(facts.packages.get('left-pad@1.1.0')?.status).toBe('ok');
      expect(fetched()).toContain('200 /left-pad abbreviated');
    }
    expect(JSON.parse(auth.open(FORMAT, await readFile(file, 'utf8')) ?? 'null')).toMatchObject({ format: FORMAT });
  });

  it('treats an entry of the wrong shape as absent instead of trusting it', async () => {
    await run();
    const file = factsCachePath(box.cacheDir) as string;
    const stored = JSON.parse(auth.open(FORMAT, await readFile(file, 'utf8')) ?? 'null') as { entries: Record<string, { facts: Record<string, { integrity: unknown; signatures: unknown }> }> };
    const entry = Object.values(stored.entries).find((candidate) => candidate.facts['1.1.0']);
    if (!entry?.facts['1.1.0']) throw new Error('left-pad entry not written');
    entry.facts['1.1.0'].signatures = 'all good';
    await writeFile(file, auth.seal(FORMAT, JSON.stringify(stored)));
    registry.reset();
    clock += 1_000;
    const facts = await run();
    expect(fetched()).toContain('200 /left-pad abbreviated');
    expect(facts.packages.get('left-pad@1.1.0')?.locked?.signatures).toEqual([]);
  });

  it('never reuses an answer the registry marked no-store or no-cache without asking', async () => {
    await registry.close();
    registry = await startRegistry({ packuments: docs, keys: { keys: [] }, cacheControl: 'no-cache' });
    await run();
    registry.reset();
    await run();
    expect(fetched().sort()).toEqual(['304 /builder abbreviated', '304 /left-pad abbreviated']);
  });

  it('offline, answers from the cache whatever its age, and names what it does not hold as not cached', async () => {
    await run();
    registry.reset();
    clock += 30 * DAY;
    const facts = await run({ offline: true, packages: [...PACKAGES, locked('left-pad', '1.0.0'), locked('absent', '1.0.0')] });
    expect(registry.requests).toEqual([]);
    expect(facts.packages.get('builder@2.1.0')?.status).toBe('ok');
    // 1.0.0 is cached as left-pad 1.1.0's predecessor, and its own predecessors (none) are known
    expect(facts.packages.get('left-pad@1.0.0')?.status).toBe('ok');
    expect(facts.packages.get('absent@1.0.0')?.status).toBe('not-cached');
  });
});
