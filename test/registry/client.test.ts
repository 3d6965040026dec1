import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryFetchError } from '../../src/registry/transport/client.js';
import { makeTarball, packument, tarballPath } from '../helpers/packuments.js';
import { CORGI_TYPE, startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { clientFor, closedPort, sandbox, type Sandbox } from './setup.js';

let registry: RegistryServer;
let box: Sandbox;

beforeEach(async () => {
  box = await sandbox();
  registry = await startRegistry({
    packuments: {
      'left-pad': packument('left-pad', [{ version: '1.0.0', publishedAt: '2024-01-01T00:00:00.000Z' }]),
      '@scope/pkg': packument('@scope/pkg', [{ version: '2.0.0', publishedAt: '2024-03-01T00:00:00.000Z' }]),
      broken: packument('broken', [{ version: '1.0.0', publishedAt: '2024-01-01T00:00:00.000Z' }]),
    },
    keys: { keys: [] },
  });
});

afterEach(async () => {
  await registry.close();
  await box.cleanup();
});

async function failure(promise: Promise<unknown>): Promise<RegistryFetchError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(RegistryFetchError);
  return error as RegistryFetchError;
}

describe('RegistryClient', () => {
  it('fetches the abbreviated document by Accept header and shares concurrent identical requests', async () => {
    const client = await clientFor(box, registry.url);
    const [a, b] = await Promise.all([client.packument('left-pad', 'abbreviated'), client.packument('left-pad', 'abbreviated')]);
    expect(a.body).toBe(b.body);
    expect(a.body.time).toBeUndefined();
    expect(registry.requests).toHaveLength(1);
    expect(registry.requests[0]?.accept).toContain(CORGI_TYPE);
    const full = await client.packument('@scope/pkg', 'full');
    expect(full.body.time).toBeDefined();
    expect(registry.requests.at(-1)?.path).toBe('/@scope%2fpkg');
  });

  it("serves a repeat from npm's cache directory without asking the registry", async () => {
    await (await clientFor(box, registry.url)).packument('left-pad', 'abbreviated');
    registry.reset();
    const warm = await clientFor(box, registry.url);
    const fetched = await warm.packument('left-pad', 'abbreviated');
    expect(fetched.cache).toBe('hit');
    expect(registry.requests).toHaveLength(0);
    expect(warm.stats).toMatchObject({ requests: 0, cacheHits: 1 });
  });

  it('answers from the cache only when offline, and says so for what is not cached', async () => {
    await (await clientFor(box, registry.url)).packument('left-pad', 'abbreviated');
    registry.reset();
    const offline = await clientFor(box, registry.url, { offline: true });
    await expect(offline.packument('left-pad', 'abbreviated')).resolves.toMatchObject({ body: { name: 'left-pad' } });
    expect((await failure(offline.packument('broken', 'abbreviated'))).kind).toBe('not-cached');
    expect(registry.requests).toHaveLength(0);
  });

  it('retries a 500 and then reports it as an http failure', async () => {
    registry.setFault('broken', { kind: 'status', status: 500 });
    const client = await clientFor(box, registry.url);
    const error = await failure(client.packument('broken', 'abbreviated'));
    expect(error).toMatchObject({ kind: 'http', status: 500 });
    expect(registry.requests).toHaveLength(3);
  });

  it('recovers when a retry succeeds after a reset', async () => {
    registry.setFault('broken', { kind: 'status', status: 503 });
    const client = await clientFor(box, registry.url, { retry: { retries: 3, factor: 1, minTimeout: 150, maxTimeout: 150 } });
    setTimeout(() => registry.setFault('broken', null), 50);
    await expect(client.packument('broken', 'abbreviated')).resolves.toMatchObject({ body: { name: 'broken' } });
  });

  it('classifies a 404, garbage, an oversized body, a reset and a hang', async () => {
    registry.setFault('broken', { kind: 'garbage' });
    const client = await clientFor(box, registry.url, { maxDocumentBytes: 64 * 1024, timeoutMs: 300 });
    expect((await failure(client.packument('missing', 'abbreviated'))).kind).toBe('not-found');
    expect((await failure(client.packument('broken', 'abbreviated'))).kind).toBe('malformed');
    registry.setFault('broken', { kind: 'oversized', bytes: 1024 * 1024 });
    expect((await failure(client.packument('broken', 'full'))).kind).toBe('oversized');
    registry.setFault('broken', { kind: 'reset' });
    expect((await failure(client.fetchJson(`${registry.url}broken?reset`))).kind).toBe('network');
    registry.setFault('/-/npm/v1/keys', { kind: 'hang' });
    const started = Date.now();
    expect((await failure(client.fetchJson(`${registry.url}-/npm/v1/keys`))).kind).toBe('network');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fetches a tarball into memory and checks it against the integrity asked for', async () => {
    const tarball = await makeTarball('left-pad', '1.0.0');
    await registry.close();
    registry = await startRegistry({ packuments: {}, tarballs: { [tarballPath('left-pad', '1.0.0')]: tarball.data } });
    const client = await clientFor(box, registry.url);
    const data = await client.fetchTarball('left-pad', '1.0.0', tarball.integrity);
    expect(data.equals(tarball.data)).toBe(true);
    const other = await makeTarball('left-pad', '1.0.0', { 'evil.js': 'x' });
    expect((await failure(client.fetchTarball('left-pad', '1.0.0', other.integrity))).kind).toBe('integrity');
    expect((await failure(client.fetchTarball('left-pad', '1.0.0', tarball.integrity, { maxBytes: 10 }))).kind).toBe('oversized');
  });

  it('asks once more for a tarball whose transfer stalled mid-body, and reports a second stall as one', async () => {
    // big enough that half of it is more than the socket buffers hold back
    const tarball = await makeTarball('left-pad', '1.0.0', { 'data.js': `module.exports = ${JSON.stringify(randomBytes(600_000).toString('base64'))};\n` });
    const path = tarballPath('left-pad', '1.0.0');
    await registry.close();
    registry = await startRegistry({ packuments: {}, tarballs: { [path]: tarball.data }, faults: { [path]: { kind: 'stall-body', ms: 3_000, times: 1 } } });
    const client = await clientFor(box, registry.url, { timeoutMs: 200 });
    const started = Date.now();
    expect((await client.fetchTarball('left-pad', '1.0.0', tarball.integrity)).equals(tarball.data)).toBe(true);
    expect(registry.requests.filter((request) => request.path === path)).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_500);
    registry.setFault(path, { kind: 'stall-body', ms: 3_000 });
    registry.reset();
    const again = await clientFor(box, registry.url, { timeoutMs: 200 });
    const stalled = await failure(again.fetchTarball('left-pad', '1.0.0', (await makeTarball('left-pad', '1.0.0', { 'other.js': '1' })).integrity));
    expect(stalled.kind).toBe('network');
    expect(stalled.message).toMatch(/stalled/);
    expect(registry.requests.filter((request) => request.path === path)).toHaveLength(2);
  });

  it('picks the scoped registry for scoped names', async () => {
    const client = await clientFor(box, registry.url);
    const config = { ...client.config, scopedRegistries: { '@scope': 'http://127.0.0.1:1/' } };
    const { RegistryClient } = await import('../../src/registry/transport/client.js');
    expect(new RegistryClient(config).registryFor('@scope/pkg')).toBe('http://127.0.0.1:1/');
    expect(new RegistryClient(config).registryFor('left-pad')).toBe(registry.url);
  });

  it("sends the project's credentials for each registry with every kind of request", async () => {
    const scoped = await startRegistry({ packuments: { '@scope/pkg': packument('@scope/pkg', [{ version: '2.0.0', publishedAt: '2024-03-01T00:00:00.000Z' }]) } });
    try {
      const host = (url: string) => `//${new URL(url).host}/`;
      await writeFile(join(box.dir, '.npmrc'), `@scope:registry=${scoped.url}\n${host(registry.url)}:_authToken=main-token\n${host(scoped.url)}:_authToken=scope-token\n`);
      const client = await clientFor(box, registry.url);
      await client.documentBytes('left-pad', 'abbreviated');
      await client.document('@scope/pkg', 'full');
      await client.packument('left-pad', 'full');
      await client.fetchJson(`${registry.url}-/npm/v1/keys`);
      expect(registry.requests.map((request) => request.authorization)).toEqual(['Bearer main-token', 'Bearer main-token', 'Bearer main-token']);
      expect(scoped.requests.map((request) => request.authorization)).toEqual(['Bearer scope-token']);
      // a credential for one package's path applies to that document only, as npm does it
      await writeFile(join(box.dir, '.npmrc'), `${host(registry.url)}:_authToken=main-token\n${host(registry.url)}left-pad:_authToken=package-token\n`);
      registry.reset();
      const perPackage = await clientFor(box, registry.url);
      await perPackage.documentBytes('broken', 'abbreviated');
      await perPackage.documentBytes('left-pad', 'abbreviated');
      await perPackage.documentBytes('@scope/pkg', 'abbreviated');
      expect(registry.requests.map((request) => `${request.path} ${request.authorization}`)).toEqual(['/broken Bearer main-token', '/left-pad Bearer package-token', '/@scope%2fpkg Bearer main-token']);
    } finally {
      await scoped.close();
    }
  });

  it('fetches documents past the HTTP cache with retries, conditional requests and the same failure kinds', async () => {
    const client = await clientFor(box, registry.url, { maxDocumentBytes: 64 * 1024, timeoutMs: 300 });
    const first = await client.documentBytes('left-pad', 'abbreviated');
    expect(first).toMatchObject({ status: 200, validators: { etag: expect.any(String) } });
    await expect(client.documentBytes('left-pad', 'abbreviated', { etag: first.validators.etag })).resolves.toMatchObject({ status: 304, bytes: 0 });
    expect((await failure(client.documentBytes('missing', 'abbreviated'))).kind).toBe('not-found');
    registry.setFault('broken', { kind: 'status', status: 500 });
    registry.reset();
    expect(await failure(client.documentBytes('broken', 'full'))).toMatchObject({ kind: 'http', status: 500 });
    expect(registry.requests).toHaveLength(3);
    registry.setFault('broken', { kind: 'oversized', bytes: 1024 * 1024 });
    expect((await failure(client.documentBytes('broken', 'full'))).kind).toBe('oversized');
    registry.setFault('broken', { kind: 'reset' });
    expect((await failure(client.documentBytes('broken', 'full'))).kind).toBe('network');
    registry.setFault('broken', { kind: 'hang' });
    expect((await failure(client.documentBytes('broken', 'full'))).kind).toBe('network');
    registry.setFault('broken', { kind: 'garbage' });
    expect((await failure(client.document('broken', 'full'))).kind).toBe('malformed');
  });

  it('fails with a network error, without an answer, when nothing listens', async () => {
    const port = await closedPort();
    const client = await clientFor(box, `http://127.0.0.1:${port}/`);
    const error = await failure(client.packument('left-pad', 'abbreviated'));
    expect(error.kind).toBe('network');
    expect(client.hasAnswered(`http://127.0.0.1:${port}/`)).toBe(false);
  });
});
