import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { materializeFixture } from './fixtures.js';
import { packumentsFromLockfile } from './packuments.js';
import { startRegistry, type RegistryServer } from './registry-server.js';

export interface ServedProject {
  dir: string;
  registry: RegistryServer;
  /** Environment for the CLI: npm's cache in a private temp dir. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;

/**
 * A fixture project with a loopback registry serving a document for every package it
 * locks (same integrity as the lockfile, published long ago), so the full pipeline runs
 * hermetically.
 */
export async function serveFixtureProject(fixture: string, options: { publishedDaysAgo?: number } = {}): Promise<ServedProject> {
  const placeholderCopy = await materializeFixture(fixture, { registry: 'https://registry.example.test/' });
  const lockfile = JSON.parse(await readFile(join(placeholderCopy.dir, 'package-lock.json'), 'utf8')) as object;
  await placeholderCopy.cleanup();
  const publishedAt = new Date(Date.now() - (options.publishedDaysAgo ?? 90) * DAY).toISOString();
  const registry = await startRegistry({ packuments: packumentsFromLockfile(lockfile, { publishedAt: () => publishedAt }), keys: null });
  const project = await materializeFixture(fixture, { registry: registry.url });
  const env = { npm_config_cache: join(project.dir, '..', '.npm-cache'), npm_config_registry: registry.url };
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
