import type { RegistryFacts } from '../../src/registry/facts/model.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/transport/client.js';
import { loadNpmConfig, type NpmConfig } from '../../src/config/npm-config.js';

export interface Sandbox {
  dir: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/** A temp project with its own HOME and npm cache, so nothing outside it is read or written. */
export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'aca-registry-'));
  const cacheDir = join(dir, '.npm-cache');
  await writeFile(join(dir, 'package.json'), '{"name":"sandbox","version":"1.0.0"}\n');
  const env: NodeJS.ProcessEnv = { HOME: dir, npm_config_cache: cacheDir, npm_config_userconfig: join(dir, '.user-npmrc'), NO_PROXY: '127.0.0.1' };
  return { dir, cacheDir, env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function npmConfigFor(box: Sandbox, registry: string): Promise<NpmConfig> {
  return loadNpmConfig(box.dir, { registry }, box.env);
}

export const FAST_RETRY = { retries: 2, factor: 1, minTimeout: 20, maxTimeout: 20 };

export async function clientFor(box: Sandbox, registry: string, options: RegistryClientOptions = {}): Promise<RegistryClient> {
  return new RegistryClient(await npmConfigFor(box, registry), { retry: FAST_RETRY, timeoutMs: 2_000, ...options });
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Facts by id in id order (the map is filled in the order answers arrive). */
export function factsById(facts: RegistryFacts): Array<[string, unknown]> {
  return [...facts.packages.entries()].sort(([a], [b]) => a.localeCompare(b));
}
