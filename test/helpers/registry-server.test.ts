import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attestationsUrl, makeTarball, packument, packumentsFromLockfile, tarballPath, type Packument } from './packuments.js';
import { substituteRegistry } from './placeholders.js';
import { CORGI_TYPE, startRegistry, type RegistryServer } from './registry-server.js';

type Doc = Record<string, unknown> & { versions: Record<string, Record<string, unknown>> };

interface PacoteClient {
  packument(spec: string, opts: object): Promise<Doc>;
  manifest(spec: string, opts: object): Promise<Record<string, unknown>>;
  tarball(spec: string, opts: object): Promise<Buffer>;
  extract(spec: string, dest: string, opts: object): Promise<unknown>;
}

const pacote = createRequire(import.meta.url)('pacote') as PacoteClient;

const SIGNATURE = { keyid: 'SHA256:test-key', sig: 'MEUCIQ==' };
const PROVENANCE = { url: attestationsUrl('left-pad', '1.1.0'), provenance: { predicateType: 'https://slsa.dev/provenance/v1' } };
const KEYS = { keys: [{ keyid: 'SHA256:test-key', keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: 'MFkw' }] };

function fixturePackuments(): Record<string, Packument> {
  return {
    'left-pad': packument('left-pad', [
      { version: '1.0.0', publishedAt: '2024-01-01T00:00:00.000Z', deprecated: 'use String.prototype.padStart' },
      {
        version: '1.1.0',
        publishedAt: '2024-02-01T00:00:00.000Z',
        publisher: 'alice',
        scripts: { postinstall: 'node setup.js', test: 'node test.js' },
        dependencies: { 'is-number': '^7.0.0' },
        signatures: [SIGNATURE],
        attestations: PROVENANCE,
      },
    ]),
    '@scope/pkg': packument('@scope/pkg', [{ version: '2.0.0', publishedAt: '2024-03-01T00:00:00.000Z' }]),
  };
}

let registry: RegistryServer;
let cacheDir: string;

function clientOpts(extra: object = {}): object {
  return { registry: registry.url, cache: cacheDir, noProxy: '127.0.0.1', retry: { retries: 0 }, ...extra };
}

function get(path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(new URL(path, registry.url), { headers, ...(signal ? { signal } : {}) });
}

beforeAll(async () => {
  registry = await startRegistry({
    packuments: fixturePackuments(),
    keys: KEYS,
    attestations: { '@scope/pkg@2.0.0': { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: {} }] } },
  });
});

afterAll(async () => {
  await registry.close();
});

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'registry-server-test-'));
  registry.reset();
});

afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('packuments through pacote', () => {
  it('serves the abbreviated document for install-v1 requests', async () => {
    const doc = await pacote.packument('left-pad', clientOpts({ fullMetadata: false }));
    expect(registry.requests[0]?.accept).toContain(CORGI_TYPE);
    expect(doc).toMatchObject({ name: 'left-pad', modified: '2024-02-01T00:00:00.000Z', 'dist-tags': { latest: '1.1.0' } });
    expect(doc.time).toBeUndefined();
    const scripted = doc.versions['1.1.0'];
    expect(scripted).toMatchObject({ hasInstallScript: true, dependencies: { 'is-number': '^7.0.0' } });
    expect(scripted).not.toHaveProperty('scripts');
    expect(scripted).not.toHaveProperty('_npmUser');
    expect(scripted?.dist).toMatchObject({ signatures: [SIGNATURE], attestations: { url: `${registry.url}-/npm/v1/attestations/left-pad@1.1.0` } });
    expect(doc.versions['1.0.0']).toMatchObject({ deprecated: 'use String.prototype.padStart' });
    expect(doc.versions['1.0.0']).not.toHaveProperty('hasInstallScript');
  });

  it('serves the full document otherwise', async () => {
    const doc = await pacote.packument('left-pad', clientOpts({ fullMetadata: true }));
    expect(registry.requests[0]?.accept).toBe('application/json');
    expect(doc.time).toMatchObject({ '1.0.0': '2024-01-01T00:00:00.000Z', '1.1.0': '2024-02-01T00:00:00.000Z' });
    expect(doc.versions['1.1.0']).toMatchObject({ _npmUser: { name: 'alice' }, scripts: { postinstall: 'node setup.js' } });
  });

  it('resolves manifests with registry URLs substituted', async () => {
    const manifest = await pacote.manifest('left-pad@^1.0.0', clientOpts({ fullMetadata: true }));
    expect(manifest).toMatchObject({ version: '1.1.0', _resolved: `${registry.url}left-pad/-/left-pad-1.1.0.tgz`, _time: '2024-02-01T00:00:00.000Z' });
    expect(JSON.stringify(manifest)).not.toContain('@REGISTRY@');
  });

  it('serves real tarballs whose integrity pacote verifies', async () => {
    const manifest = await pacote.manifest('@scope/pkg@2.0.0', clientOpts());
    const data = await pacote.tarball('@scope/pkg@2.0.0', clientOpts({ integrity: manifest._integrity }));
    expect(data.length).toBeGreaterThan(0);
    const dest = join(cacheDir, 'extracted');
    await pacote.extract(`${registry.url}@scope/pkg/-/pkg-2.0.0.tgz`, dest, clientOpts({ integrity: manifest._integrity }));
    expect(JSON.parse(await readFile(join(dest, 'package.json'), 'utf8'))).toMatchObject({ name: '@scope/pkg', version: '2.0.0' });
    expect(registry.requests.map((r) => r.path)).toContain('/@scope%2fpkg');
  });

  it('fails pacote integrity checks when the served tarball does not match', async () => {
    const real = await makeTarball('tampered', '1.0.0');
    const other = await makeTarball('tampered', '1.0.0', { 'index.js': 'evil()' });
    const server = await startRegistry({
      packuments: { tampered: packument('tampered', [{ version: '1.0.0', publishedAt: '2024-01-01T00:00:00.000Z', integrity: real.integrity }]) },
      tarballs: { [tarballPath('tampered', '1.0.0')]: other.data },
    });
    try {
      const opts = { ...clientOpts(), registry: server.url };
      await expect(pacote.tarball('tampered@1.0.0', opts)).rejects.toMatchObject({ code: 'EINTEGRITY' });
    } finally {
      await server.close();
    }
  });

  it('answers unknown packages with 404', async () => {
    await expect(pacote.packument('missing', clientOpts())).rejects.toMatchObject({ code: 'E404' });
    const res = await get('/missing');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Not found' });
  });

  it('revalidates npm cache entries with ETag and gets 304', async () => {
    await pacote.packument('left-pad', clientOpts({ fullMetadata: true }));
    await pacote.packument('left-pad', clientOpts({ fullMetadata: true, preferOnline: true }));
    expect(registry.requests.map((r) => r.status)).toEqual([200, 304]);
  });
});

describe('plain HTTP protocol', () => {
  it('accepts escaped and unescaped scoped names', async () => {
    const escaped = await get('/@scope%2fpkg');
    const unescaped = await get('/@scope/pkg');
    expect(escaped.headers.get('content-type')).toBe('application/json');
    expect(await escaped.json()).toEqual(await unescaped.json());
  });

  it('labels the abbreviated document with its media type and varies by Accept', async () => {
    const res = await get('/left-pad', { accept: CORGI_TYPE });
    expect(res.headers.get('content-type')).toBe(CORGI_TYPE);
    expect(res.headers.get('vary')).toContain('Accept');
    const full = await get('/left-pad');
    expect(full.headers.get('etag')).not.toBe(res.headers.get('etag'));
  });

  it('supports ETag and Last-Modified conditional requests', async () => {
    const first = await get('/left-pad');
    const etag = first.headers.get('etag') ?? '';
    expect(first.headers.get('last-modified')).toBe(new Date('2024-02-01T00:00:00.000Z').toUTCString());
    expect((await get('/left-pad', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/left-pad', { 'if-none-match': '"other"' })).status).toBe(200);
    expect((await get('/left-pad', { 'if-modified-since': 'Thu, 01 Feb 2024 00:00:00 GMT' })).status).toBe(304);
  });

  it('serves keys and attestations', async () => {
    expect(await (await get('/-/npm/v1/keys')).json()).toEqual(KEYS);
    expect((await get('/-/npm/v1/attestations/@scope%2fpkg@2.0.0')).status).toBe(200);
    expect((await get('/-/npm/v1/attestations/@scope/pkg@2.0.0')).status).toBe(200);
    expect((await get('/-/npm/v1/attestations/left-pad@1.1.0')).status).toBe(404);
  });

  it('answers 404 for keys when none are configured', async () => {
    const server = await startRegistry({ packuments: {}, keys: null });
    try {
      expect((await fetch(`${server.url}-/npm/v1/keys`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('logs every request', async () => {
    await get('/left-pad', { accept: CORGI_TYPE });
    await get('/nope');
    expect(registry.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/left-pad', accept: CORGI_TYPE, status: 200, bytes: expect.any(Number) as number }),
      expect.objectContaining({ path: '/nope', status: 404 }),
    ]);
    expect(registry.requests[0]?.bytes).toBeGreaterThan(100);
    registry.reset();
    expect(registry.requests).toEqual([]);
  });

  it('delays every request by latencyMs', async () => {
    const server = await startRegistry({ packuments: fixturePackuments(), latencyMs: 60 });
    try {
      const started = performance.now();
      await fetch(`${server.url}left-pad`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      await server.close();
    }
  });
});

describe('faults', () => {
  afterEach(() => {
    for (const key of ['left-pad', '/@scope%2fpkg', '@scope/pkg', '/-/npm/v1/keys']) registry.setFault(key, null);
  });

  it('returns an injected status', async () => {
    registry.setFault('left-pad', { kind: 'status', status: 503 });
    expect((await get('/left-pad')).status).toBe(503);
    registry.setFault('left-pad', null);
    expect((await get('/left-pad')).status).toBe(200);
  });

  it('returns garbage with a JSON content type', async () => {
    registry.setFault('@scope/pkg', { kind: 'garbage' });
    const res = await get('/@scope%2fpkg', { accept: CORGI_TYPE });
    expect(res.headers.get('content-type')).toBe(CORGI_TYPE);
    await expect(res.json()).rejects.toThrow();
  });

  it('delays a slow response', async () => {
    registry.setFault('/-/npm/v1/keys', { kind: 'slow', ms: 120 });
    const started = performance.now();
    expect((await get('/-/npm/v1/keys')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('resets the connection mid-response', async () => {
    registry.setFault('left-pad', { kind: 'reset' });
    await expect(get('/left-pad').then((res) => res.text())).rejects.toThrow();
    expect(registry.requests[0]).toMatchObject({ status: 200 });
    expect(registry.requests[0]?.bytes).toBeGreaterThan(0);
  });

  it('streams an oversized but valid JSON body', async () => {
    registry.setFault('left-pad', { kind: 'oversized', bytes: 3_000_000 });
    const body = await (await get('/left-pad')).text();
    expect(body.length).toBeGreaterThanOrEqual(3_000_000);
    expect(JSON.parse(body)).toMatchObject({ name: 'left-pad' });
  });

  it('hangs until the client gives up', async () => {
    registry.setFault('left-pad', { kind: 'hang' });
    await expect(get('/left-pad', {}, AbortSignal.timeout(150))).rejects.toThrow();
    expect(registry.requests[0]).toMatchObject({ path: '/left-pad', status: 0 });
  });

  it('applies faults given at start-up', async () => {
    const server = await startRegistry({ packuments: fixturePackuments(), faults: { 'left-pad': { kind: 'status', status: 429 } } });
    try {
      expect((await fetch(`${server.url}left-pad`)).status).toBe(429);
      expect((await fetch(`${server.url}@scope%2fpkg`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('fixture helpers', () => {
  it('builds packuments from an npm lockfile that keep its integrity', async () => {
    const real = await makeTarball('dep', '1.2.3');
    const lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', version: '1.0.0' },
        'node_modules/dep': { version: '1.2.3', resolved: '@REGISTRY@dep/-/dep-1.2.3.tgz', integrity: real.integrity },
        'node_modules/alias': { name: 'dep', version: '2.0.0', resolved: '@REGISTRY@dep/-/dep-2.0.0.tgz', integrity: 'sha512-AAAA' },
        'node_modules/@scope/lib': { version: '0.1.0', resolved: '@REGISTRY@@scope/lib/-/lib-0.1.0.tgz', integrity: 'sha512-BBBB' },
        'node_modules/from-git': { version: '1.0.0', resolved: 'git+ssh://git@github.com/a/b.git#abc' },
        'node_modules/linked': { resolved: 'packages/linked', link: true },
        'node_modules/dep/node_modules/bundled': { version: '1.0.0', inBundle: true },
      },
    };
    const docs = packumentsFromLockfile(JSON.parse(substituteRegistry(JSON.stringify(lockfile), 'http://127.0.0.1:1/')) as object, {
      publishedAt: () => '2024-05-01T00:00:00.000Z',
    });
    expect(Object.keys(docs).sort()).toEqual(['@scope/lib', 'dep']);
    expect(Object.keys(docs.dep?.versions ?? {}).sort()).toEqual(['1.2.2', '1.2.3', '2.0.0']);
    expect(docs.dep?.['dist-tags']).toEqual({ latest: '2.0.0' });
    expect(docs.dep?.time?.['1.2.2']).toBe('2024-04-01T00:00:00.000Z');
    expect(Object.keys(docs['@scope/lib']?.versions ?? {})).toEqual(['0.0.0', '0.1.0']);

    const server = await startRegistry({ packuments: docs, tarballs: { [tarballPath('dep', '1.2.3')]: real.data } });
    try {
      const opts = { ...clientOpts(), registry: server.url, integrity: real.integrity };
      expect(await pacote.manifest('dep@1.2.3', opts)).toMatchObject({ _integrity: real.integrity });
      expect((await pacote.tarball('dep@1.2.3', opts)).equals(real.data)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('substitutes every registry placeholder', () => {
    const text = '@REGISTRY@a @REGISTRY_HTTP@b @YARN_REGISTRY@c';
    expect(substituteRegistry(text, 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9/a http://127.0.0.1:9/b http://127.0.0.1:9/c');
    expect(substituteRegistry('@REGISTRY_HTTP@', 'https://localhost/')).toBe('http://localhost/');
  });
});
