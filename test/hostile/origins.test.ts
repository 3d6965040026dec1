import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onRegistryOrigin } from '../../src/registry/transport/origin.js';
import { httpGet } from '../../src/registry/transport/http-get.js';
import type { Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { packument, type Packument } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { createTestPki } from '../helpers/test-pki.js';
import { integrityOf } from '../provenance/scenario.js';

interface Recorder {
  server: Server;
  port: number;
  seen: Array<{ url: string; headers: IncomingHttpHeaders }>;
}

/** A loopback server that records every request; `/redirect-to/<port>` answers with a redirect to that port. */
async function recorder(): Promise<Recorder> {
  const seen: Recorder['seen'] = [];
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    const target = /^\/redirect-to\/(\d+)$/.exec(request.url ?? '');
    if (target) response.writeHead(302, { location: `http://127.0.0.1:${target[1]}/landed` }).end();
    else if (request.url === '/same-origin') response.writeHead(302, { location: '/landed' }).end();
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('URLs from registry documents stay on the registry origin', () => {
  it('places a listed path on the registry and rejects one that would leave it', () => {
    const registry = 'http://127.0.0.1:4873/';
    expect(onRegistryOrigin('https://elsewhere.test/-/npm/v1/attestations/a@1.0.0', registry)).toBe('http://127.0.0.1:4873/-/npm/v1/attestations/a@1.0.0');
    expect(onRegistryOrigin('http://127.0.0.1:4873//127.0.0.1:9999/x', registry)).toBeNull();
    expect(onRegistryOrigin('//other.test/x', registry)).toBeNull();
    expect(onRegistryOrigin('/-/npm/v1/attestations/a@1.0.0', registry)).toBe('http://127.0.0.1:4873/-/npm/v1/attestations/a@1.0.0');
  });
});

describe('an attestations URL of the form <registry>//other-host:port/x', () => {
  let registry: RegistryServer;
  let other: Recorder;
  let dir: string;
  beforeAll(async () => {
    const pki = createTestPki({ now: new Date('2026-01-01T00:00:00Z') });
    other = await recorder();
    const packuments: Record<string, Packument> = {};
    registry = await startRegistry({ packuments, keys: pki.registryKeysDocument() });
    const integrity = integrityOf('lured-lib', '1.0.0');
    packuments['lured-lib'] = packument('lured-lib', [
      { version: '1.0.0', publishedAt: '2026-01-01T00:00:00.000Z', integrity, signatures: [pki.signRegistry('lured-lib', '1.0.0', integrity)], attestations: { url: `${registry.url}/127.0.0.1:${other.port}/steal`, provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } },
    ]);
    dir = await mkdtemp(join(tmpdir(), 'aca-origin-'));
    const project = join(dir, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'lured-lib': '1.0.0' } }));
    await writeFile(
      join(project, 'package-lock.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0', dependencies: { 'lured-lib': '1.0.0' } }, 'node_modules/lured-lib': { version: '1.0.0', resolved: `${registry.url}lured-lib/-/lured-lib-1.0.0.tgz`, integrity } } }),
    );
    await writeFile(join(dir, 'trusted-root.json'), JSON.stringify(pki.trustedRoot));
  });
  afterAll(async () => {
    await registry?.close();
    await close(other.server);
    await rm(dir, { recursive: true, force: true });
  });

  it('is not fetched: the other host gets no request and the provenance is invalid', async () => {
    const env = { HOME: dir, npm_config_cache: join(dir, '.npm'), npm_config_userconfig: join(dir, '.npmrc'), npm_config_registry: registry.url };
    const run = await cli([join(dir, 'project'), '--json', '--trusted-root', join(dir, 'trusted-root.json'), '--now', '2026-11-23T00:00:00Z'], env);
    const report = JSON.parse(run.stdout) as Report;
    expect(other.seen).toEqual([]);
    expect(report.packages.find((pkg) => pkg.name === 'lured-lib')).toMatchObject({ provenance: 'invalid' });
    expect(report.findings.find((finding) => finding.ruleId === 'provenance-invalid')?.message).toMatch(/leaves its origin/);
    expect(run.code).toBe(1);
  });
});

describe('redirects', () => {
  let first: Recorder;
  let second: Recorder;
  beforeAll(async () => {
    first = await recorder();
    second = await recorder();
  });
  afterAll(async () => {
    await close(first.server);
    await close(second.server);
  });

  const get = (url: string) =>
    httpGet(url, { agent: undefined, headers: { authorization: 'Bearer registry-token', cookie: 'c=1' }, timeoutMs: 5_000, retry: { retries: 0, factor: 1, minTimeout: 1, maxTimeout: 1 }, maxBytes: 1_000_000, signal: new AbortController().signal });

  it('drop the credentials on a redirect to another port of the same host, keep them on the same origin', async () => {
    await get(`http://127.0.0.1:${first.port}/redirect-to/${second.port}`);
    expect(second.seen).toHaveLength(1);
    expect(second.seen[0]?.headers.authorization).toBeUndefined();
    expect(second.seen[0]?.headers.cookie).toBeUndefined();
    await get(`http://127.0.0.1:${first.port}/same-origin`);
    expect(first.seen.at(-1)).toMatchObject({ url: '/landed', headers: { authorization: 'Bearer registry-token' } });
  });
});
