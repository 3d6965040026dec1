import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { PackageEvidenceCache } from '../../src/ai/evidence/package-cache.js';
import { DEFAULT_PACKAGE_LIMITS, scanPackages, type FetchTarball } from '../../src/ai/evidence/package.js';
import { packageCandidates } from '../../src/ai/stage.js';
import { cli } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { lockedPackage } from '../helpers/inventory.js';
import { randomBytes } from 'node:crypto';
import { CacheAuth } from '../../src/util/cache-auth.js';
import { makeTarballSync, packument } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';

const catalog = new CatalogIndex(builtinCatalog);
const CODE = "const key = process.env.OPENAI_API_KEY;\nfetch('https://api.openai.com/v1/chat/completions', { headers: { authorization: key } });\n";
const tarball = makeTarballSync('openai', '4.0.0', { 'index.js': CODE });
const pkg = { name: 'openai', version: '4.0.0', integrity: tarball.integrity };

const tempDir = tempDirs('aca-evidence-cache-');

function counting(answer: () => Promise<Buffer>): FetchTarball & { calls: number } {
  const fetch = Object.assign(async () => {
    fetch.calls++;
    return answer();
  }, { calls: 0 });
  return fetch;
}

const AUTH = CacheAuth.ephemeral();

/** The JSON inside a sealed cache file (after the tag line). */
async function payloadOf(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  return text.slice(text.indexOf('\n') + 1);
}

describe('package evidence cache', () => {
  it('a tarball scanned once is not read again: the next run takes its evidence from the cache by integrity', async () => {
    const dir = await tempDir();
    const first = counting(async () => tarball.data);
    const cache = await PackageEvidenceCache.open(dir, builtinCatalog, AUTH);
    const scanned = await scanPackages([pkg], first, catalog, DEFAULT_PACKAGE_LIMITS, cache);
    await cache.save();
    expect(first.calls).toBe(1);
    expect(scanned.evidence[0]?.envReads.map((item) => item.value)).toEqual(['OPENAI_API_KEY']);

    const again = counting(() => Promise.reject(new Error('must not be fetched')));
    const rescanned = await scanPackages([pkg], again, catalog, DEFAULT_PACKAGE_LIMITS, await PackageEvidenceCache.open(dir, builtinCatalog, AUTH));
    expect(again.calls).toBe(0);
    expect(rescanned).toEqual(scanned);
  });

  it('keys on integrity and catalog: another tarball for the same version, or another catalog, is read afresh', async () => {
    const dir = await tempDir();
    const cache = await PackageEvidenceCache.open(dir, builtinCatalog, AUTH);
    await scanPackages([pkg], async () => tarball.data, catalog, DEFAULT_PACKAGE_LIMITS, cache);
    await cache.save();
    const other = makeTarballSync('openai', '4.0.0', { 'index.js': 'export {};' });
    const fetch = counting(async () => other.data);
    await scanPackages([{ ...pkg, integrity: other.integrity }], fetch, catalog, DEFAULT_PACKAGE_LIMITS, await PackageEvidenceCache.open(dir, builtinCatalog, AUTH));
    await scanPackages([pkg], fetch, catalog, DEFAULT_PACKAGE_LIMITS, await PackageEvidenceCache.open(dir, { ...builtinCatalog, extra: true }, AUTH));
    expect(fetch.calls).toBe(2);
  });

  it('keeps "too large" (it cannot change) but never a network failure', async () => {
    const dir = await tempDir();
    const limits = { ...DEFAULT_PACKAGE_LIMITS, maxTarballBytes: 10 };
    const cache = await PackageEvidenceCache.open(dir, builtinCatalog, AUTH);
    const oversized = await scanPackages([pkg], async () => tarball.data, catalog, limits, cache);
    const flaky = { ...pkg, name: 'langfuse', integrity: 'sha512-AAAA' };
    await scanPackages([flaky], () => Promise.reject(new Error('ECONNRESET')), catalog, limits, cache);
    await cache.save();
    expect(oversized.errors[0]?.message).toMatch(/over the 10-byte limit/);

    const fetch = counting(() => Promise.reject(new Error('ECONNRESET again')));
    const reopened = await PackageEvidenceCache.open(dir, builtinCatalog, AUTH);
    const second = await scanPackages([pkg, flaky], fetch, catalog, limits, reopened);
    expect(fetch.calls).toBe(1);
    // in package order: langfuse, then openai
    expect(second.errors.map((error) => error.message)).toEqual(['ECONNRESET again', expect.stringMatching(/over the 10-byte limit/)]);
  });

  it('an entry of the wrong shape (the cache is untrusted) counts as absent', async () => {
    const dir = await tempDir();
    const cache = await PackageEvidenceCache.open(dir, builtinCatalog, AUTH);
    await scanPackages([pkg], async () => tarball.data, catalog, DEFAULT_PACKAGE_LIMITS, cache);
    await cache.save();
    const file = join(dir, 'package-evidence.json');
    const saved = JSON.parse(await payloadOf(file)) as { entries: Record<string, { evidence: { hosts: unknown } }> };
    for (const entry of Object.values(saved.entries)) entry.evidence.hosts = [{ value: 42 }];
    await writeFile(file, AUTH.seal('package-evidence', JSON.stringify(saved)));
    const fetch = counting(async () => tarball.data);
    const result = await scanPackages([pkg], fetch, catalog, DEFAULT_PACKAGE_LIMITS, await PackageEvidenceCache.open(dir, builtinCatalog, AUTH));
    expect(fetch.calls).toBe(1);
    expect(result.evidence[0]?.hosts.map((item) => item.value)).toEqual(['api.openai.com']);
  });

  it('a well-formed entry someone else wrote (unsealed, or sealed with another key) is not believed', async () => {
    const dir = await tempDir();
    const cache = await PackageEvidenceCache.open(dir, builtinCatalog, AUTH);
    await scanPackages([pkg], async () => tarball.data, catalog, DEFAULT_PACKAGE_LIMITS, cache);
    await cache.save();
    const file = join(dir, 'package-evidence.json');
    // the forger hides the endpoint the code names
    const forged = JSON.parse(await payloadOf(file)) as { entries: Record<string, { evidence: { hosts: unknown[] } }> };
    for (const entry of Object.values(forged.entries)) entry.evidence.hosts = [];
    for (const text of [JSON.stringify(forged), CacheAuth.fromKey(randomBytes(32)).seal('package-evidence', JSON.stringify(forged))]) {
      await writeFile(file, text);
      const fetch = counting(async () => tarball.data);
      const result = await scanPackages([pkg], fetch, catalog, DEFAULT_PACKAGE_LIMITS, await PackageEvidenceCache.open(dir, builtinCatalog, AUTH));
      expect(fetch.calls).toBe(1);
      expect(result.evidence[0]?.hosts.map((item) => item.value)).toEqual(['api.openai.com']);
    }
  });

  it('platform packages of a native build are not read (a binary, no code)', () => {
    const packages = ['openai', '@ai-sdk/openai', '@anthropic-ai/claude-code-linux-x64', '@ai-sdk/gateway-darwin-arm64', 'ai-tool-win32-x64-msvc'].map((name) => lockedPackage({ name, version: '1.0.0' }));
    expect(packageCandidates(packages, catalog).map((ref) => ref.name)).toEqual(['openai', '@ai-sdk/openai']);
  });
});

describe('warm run', () => {
  let registry: RegistryServer | undefined;
  afterEach(async () => registry?.close());

  it('reads no tarball from a registry that sends no caching headers: the evidence comes from the cache', async () => {
    const home = await tempDir();
    const project = join(home, 'project');
    await mkdir(project);
    registry = await startRegistry({ packuments: { openai: packument('openai', [{ version: '4.0.0', publishedAt: '2026-01-01T00:00:00.000Z', tarball: tarball.data, integrity: tarball.integrity }]) }, keys: null, cacheControl: 'no-cache' });
    const resolved = `${registry.url}openai/-/openai-4.0.0.tgz`;
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { openai: '4.0.0' } }));
    await writeFile(join(project, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0', dependencies: { openai: '4.0.0' } }, 'node_modules/openai': { version: '4.0.0', resolved, integrity: tarball.integrity } } }));
    const env = { npm_config_cache: join(home, 'cache'), npm_config_userconfig: join(home, 'npmrc'), npm_config_registry: registry.url, HOME: home };
    const args = [project, '--json', '--fail-on', 'none', '--registry', registry.url];
    const tarballRequests = () => registry?.requests.filter((request) => request.path.endsWith('.tgz')).length;

    const cold = await cli(args, env);
    expect(cold.code).toBe(0);
    expect(tarballRequests()).toBe(1);
    registry.reset();
    const warm = await cli(args, env);
    expect(tarballRequests()).toBe(0);
    const evidenceOf = (stdout: string) => (JSON.parse(stdout) as { aiTools: unknown[] }).aiTools;
    expect(evidenceOf(warm.stdout)).toEqual(evidenceOf(cold.stdout));
  });
});

describe('scan failures', () => {
  it('are listed in package order, whatever order the downloads fail in (notices name the first)', async () => {
    const packages = ['alpha', 'beta', 'gamma', 'delta'].map((name) => ({ ...pkg, name }));
    // the later a package sorts, the sooner its download fails
    const fetch: FetchTarball = (name) => new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`404 for ${name}`)), 40 - 10 * ['alpha', 'beta', 'delta', 'gamma'].indexOf(name)));
    const scanned = await scanPackages(packages, fetch, catalog, { ...DEFAULT_PACKAGE_LIMITS, concurrency: 4 });
    expect(scanned.errors.map((error) => error.name)).toEqual(['alpha', 'beta', 'delta', 'gamma']);
  });
});
