import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { materializeFixture } from './fixtures.js';
import { packumentsFromLockfile, type Packument } from './packuments.js';
import { startRegistry, type RegistryServer } from './registry-server.js';

export interface ServedProject {
  dir: string;
  registry: RegistryServer;
  /** Environment for the CLI: npm's cache and user config in private temp paths, so the machine's ~/.npmrc stays out. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Publish time of every locked version (default: 90 days ago). */
  publishedAt?: (name: string, version: string) => string;
  /** Edits the served documents, e.g. to stage an incident. */
  documents?: (docs: Record<string, Packument>) => Record<string, Packument>;
}

const DAY = 24 * 3600 * 1000;

/**
 * A fixture project with a loopback registry serving a document for every package it
 * locks (same integrity as the lockfile), so the full pipeline runs hermetically.
 */
export async function serveFixtureProject(fixture: string, options: ServeOptions = {}): Promise<ServedProject> {
  const template = await materializeFixture(fixture);
  const lockfile = JSON.parse(await readFile(join(template.dir, 'package-lock.json'), 'utf8')) as object;
  await template.cleanup();
  const longAgo = new Date(Date.now() - 90 * DAY).toISOString();
  const docs = packumentsFromLockfile(lockfile, { publishedAt: options.publishedAt ?? (() => longAgo) });
  const registry = await startRegistry({ packuments: options.documents ? options.documents(docs) : docs, keys: null });
  const project = await materializeFixture(fixture, { registry: registry.url });
  const home = join(project.dir, '..');
  const env = {
    npm_config_cache: join(home, '.npm-cache'),
    npm_config_userconfig: join(home, '.user-npmrc'),
    npm_config_registry: registry.url,
    HOME: home,
  };
  return {
    dir: project.dir,
    registry,
    env,
    close: async () => {
      await registry.close();
      await project.cleanup();
    },
  };
}
