import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryOf, resolveImage } from '../../src/python/oci-image.js';
import { startOciRegistry, type OciRegistry } from '../helpers/oci-registry.js';
import { NO_RETRY } from './support.js';

let registry: OciRegistry & { digestOf(repository: string, tag: string): string };

beforeAll(async () => {
  registry = await startOciRegistry([
    { repository: 'berriai/litellm', tag: 'main-v1.90.4', created: '2026-03-24T11:00:00Z' },
    { repository: 'berriai/litellm', tag: 'single', created: '2026-03-01T00:00:00Z', single: true },
  ]);
});
afterAll(async () => {
  await registry.close();
});

const image = (repository: string, tag: string | null, digest: string | null = null) => ({ raw: `${repository}:${tag ?? ''}`, repository, tag, digest });

describe('OCI distribution API', () => {
  it('resolves a tag to its digest and creation time through the anonymous token flow and the image index', async () => {
    const resolved = await resolveImage(image(`${registry.host}/berriai/litellm`, 'main-v1.90.4'), { retry: NO_RETRY });
    expect(resolved).toEqual({ status: 'resolved', registry: registry.host, digest: registry.digestOf('berriai/litellm', 'main-v1.90.4'), created: '2026-03-24T11:00:00Z', platform: 'linux/amd64' });
    expect(registry.requests.map((request) => [request.path.replace(/sha256:[0-9a-f]+/, 'sha256:…'), request.status])).toEqual([
      ['/v2/berriai/litellm/manifests/main-v1.90.4', 401],
      ['/token?service=test-registry&scope=repository%3Apull', 200],
      ['/v2/berriai/litellm/manifests/main-v1.90.4', 200],
      ['/v2/berriai/litellm/manifests/sha256:…', 200],
      ['/v2/berriai/litellm/blobs/sha256:…', 200],
    ]);
  });

  it('reads a single-platform manifest, and says not-found for a tag the registry does not have', async () => {
    expect(await resolveImage(image(`${registry.host}/berriai/litellm`, 'single'), { retry: NO_RETRY })).toMatchObject({ status: 'resolved', created: '2026-03-01T00:00:00Z', platform: null });
    expect(await resolveImage(image(`${registry.host}/berriai/litellm`, 'nope'), { retry: NO_RETRY })).toMatchObject({ status: 'not-found' });
  });

  it('an unreachable registry is reported as such, never as resolved', async () => {
    expect(await resolveImage(image('127.0.0.1:1/berriai/litellm', 'main'), { retry: NO_RETRY, timeoutMs: 2000 })).toMatchObject({ status: 'unreachable', registry: '127.0.0.1:1' });
  });

  it("knows where an image lives: a host with a dot or port, else Docker Hub's documented API host", () => {
    expect(registryOf('ghcr.io/berriai/litellm')).toEqual({ base: 'https://ghcr.io', host: 'ghcr.io', path: 'berriai/litellm' });
    expect(registryOf('postgres')).toEqual({ base: 'https://registry-1.docker.io', host: 'docker.io', path: 'library/postgres' });
    expect(registryOf('localhost:5000/gw')).toEqual({ base: 'http://localhost:5000', host: 'localhost:5000', path: 'gw' });
  });
});
