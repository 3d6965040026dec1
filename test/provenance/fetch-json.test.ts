import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientJsonFetcher, prefetchSigningKeys } from '../../src/provenance/fetch-json.js';
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
