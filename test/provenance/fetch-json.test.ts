import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientJsonFetcher, prefetchSigningKeys } from '../../src/provenance/fetch-json.js';
import { RegistryFetchError } from '../../src/registry/transport/client.js';
import { CacheAuth } from '../../src/util/cache-auth.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { clientFor, sandbox, type Sandbox } from '../registry/setup.js';

let registry: RegistryServer;
let box: Sandbox;

beforeEach(async () => {
  box = await sandbox();
  registry = await startRegistry({ packuments: {}, keys: { keys: [] } });
});

afterEach(async () => {
  await registry.close();
  await box.cleanup();
});

describe('signing keys fetched early', () => {
  it('are asked for once: the check after the registry stage gets the answer the start of the run asked for', async () => {
    const client = await clientFor(box, registry.url);
    prefetchSigningKeys(client);
    const fetchJson = clientJsonFetcher(client);
    expect(await fetchJson(`${registry.url}-/npm/v1/keys`)).toEqual({ keys: [] });
    expect(await fetchJson(`${registry.url}-/npm/v1/keys`)).toEqual({ keys: [] });
    expect(registry.requests.filter((request) => request.path === '/-/npm/v1/keys')).toHaveLength(1);
  });

  it('another client asks again, and other documents are not kept', async () => {
    await clientJsonFetcher(await clientFor(box, registry.url))(`${registry.url}-/npm/v1/keys`);
    const fetchJson = clientJsonFetcher(await clientFor(box, registry.url));
    await fetchJson(`${registry.url}-/npm/v1/keys`);
    expect(await fetchJson(`${registry.url}-/v1/attestations/none@1.0.0`)).toBeNull();
    expect(await fetchJson(`${registry.url}-/v1/attestations/none@1.0.0`)).toBeNull();
    expect(registry.requests.filter((request) => request.path === '/-/npm/v1/keys').length).toBeGreaterThanOrEqual(1);
    expect(registry.requests.filter((request) => request.path.startsWith('/-/v1/attestations/'))).toHaveLength(2);
  });
});

describe('signing keys kept in our own sealed cache', () => {
  const KEYS = { keys: [{ keyid: 'SHA256:test', keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: 'AAAA', expires: null }] };
  let keyed: RegistryServer;
  const keysRequests = () => keyed.requests.filter((request) => request.path === '/-/npm/v1/keys');
  const runOnce = async (options: { offline?: boolean } = {}) => clientJsonFetcher(await clientFor(box, keyed.url, options))(`${keyed.url}-/npm/v1/keys`);
  const storedFile = async () => {
    const dir = join(box.cacheDir, '_ai-chain-audit', 'registry-keys');
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    return join(dir, files[0] as string);
  };

  afterEach(async () => {
    await keyed.close();
  });

  it('a later run reuses them while the max-age lasts, without a request', async () => {
    keyed = await startRegistry({ packuments: {}, keys: KEYS, keysCacheControl: 'public, max-age=300' });
    expect(await runOnce()).toEqual(KEYS);
    expect(await runOnce()).toEqual(KEYS);
    expect(keysRequests()).toHaveLength(1);
  });

  it('past the max-age a later run asks with the ETag, and a 304 keeps the stored keys', async () => {
    keyed = await startRegistry({ packuments: {}, keys: KEYS, keysCacheControl: 'public, max-age=0' });
    expect(await runOnce()).toEqual(KEYS);
    expect(await runOnce()).toEqual(KEYS);
    expect(keysRequests().map((request) => request.status)).toEqual([200, 304]);
  });

  it('an entry someone else wrote, or one edited in place, is a miss: the keys are fetched again', async () => {
    keyed = await startRegistry({ packuments: {}, keys: KEYS, keysCacheControl: 'public, max-age=300' });
    await runOnce();
    const file = await storedFile();
    const sealed = await readFile(file, 'utf8');
    const forgedKeys = JSON.stringify({ keys: [{ ...KEYS.keys[0], keyid: 'SHA256:forged' }] });
    const entry = JSON.parse(sealed.slice(sealed.indexOf('\n') + 1)) as { body: string };
    const forged = JSON.stringify({ ...entry, body: forgedKeys });
    const label = `registry-keys\napplication/json\n${keyed.url}-/npm/v1/keys`;
    for (const text of [`${sealed.slice(0, sealed.indexOf('\n') + 1)}${forged}`, CacheAuth.fromKey(randomBytes(32)).seal(label, forged)]) {
      await writeFile(file, text);
      expect(await runOnce()).toEqual(KEYS);
    }
    expect(keysRequests()).toHaveLength(3);
  });

  it('offline, a stored copy is used whatever its age; without one the keys are not cached', async () => {
    keyed = await startRegistry({ packuments: {}, keys: KEYS, keysCacheControl: 'public, max-age=0' });
    const error = await runOnce({ offline: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryFetchError);
    expect((error as RegistryFetchError).kind).toBe('not-cached');
    await runOnce();
    expect(await runOnce({ offline: true })).toEqual(KEYS);
    expect(keysRequests()).toHaveLength(1);
  });

  it('a registry that forbids storing them (no-store) is asked every run', async () => {
    keyed = await startRegistry({ packuments: {}, keys: KEYS, keysCacheControl: 'no-store' });
    await runOnce();
    expect(await runOnce()).toEqual(KEYS);
    expect(keysRequests().map((request) => request.status)).toEqual([200, 200]);
  });
});
