import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { materializeFixture } from './fixtures.js';
import { makeRepo, type TestRepo } from './git-repo.js';
import { packumentsFromLockfile, type Packument } from './packuments.js';
import { startRegistry, type RegistryServer } from './registry-server.js';

/** The new dependency's install script, in the registry documents of every version. */
export const INSTALL_SCRIPT = { postinstall: 'node build.js' };

interface NpmLock {
  packages: Record<string, Record<string, unknown>>;
}

interface PrStep {
  manifest: Record<string, unknown>;
  lock: NpmLock;
}

export interface PullRequestRepo {
  repo: TestRepo;
  registry: RegistryServer;
  /** Environment for the CLI: npm's cache and user config in private temp paths, the loopback registry. */
  env: NodeJS.ProcessEnv;
  /** The commit before the pull request. */
  base: string;
  close(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;

/**
 * A git repository with two commits of the ai-app fixture (its real npm lockfile): the second,
 * the pull request, bumps the AI SDK `openai` from 5.23.1 to 5.23.2 (the fixture's own lock) and
 * adds `native-build`, whose versions run a postinstall script. A loopback registry serves both
 * sides. With `alreadyAtBase`, native-build is in both commits (only the bump is new).
 */
export async function pullRequestRepo(options: { alreadyAtBase?: boolean } = {}): Promise<PullRequestRepo> {
  const template = await materializeFixture('projects/ai-app');
  const placeholderLock = JSON.parse(await readFile(join(template.dir, 'package-lock.json'), 'utf8')) as NpmLock;
  const placeholderRegistry = 'https://registry.example.test/';
  const docsLock = { packages: { ...prefixed(baseOf(placeholderLock, placeholderRegistry).packages, 'base/'), ...headOf(placeholderLock, placeholderRegistry).packages } };
  await template.cleanup();
  const longAgo = new Date(Date.now() - 90 * DAY).toISOString();
  const docs = packumentsFromLockfile(docsLock, { publishedAt: () => longAgo });
  withInstallScript(docs['native-build']);
  const registry = await startRegistry({ packuments: docs, keys: null });

  const project = await materializeFixture('projects/ai-app', { registry: registry.url });
  const manifest = JSON.parse(await readFile(join(project.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(await readFile(join(project.dir, 'package-lock.json'), 'utf8')) as NpmLock;
  await project.cleanup();
  const repo = await makeRepo();
  const write = async (step: PrStep) => {
    await writeFile(join(repo.dir, 'package.json'), `${JSON.stringify(step.manifest, null, 2)}\n`);
    await writeFile(join(repo.dir, 'package-lock.json'), `${JSON.stringify(step.lock, null, 2)}\n`);
  };
  const head = { manifest: addNativeBuild(manifest), lock: headOf(lock, registry.url) };
  const before = { manifest: withOpenai(options.alreadyAtBase ? head.manifest : manifest, '5.23.1'), lock: baseOf(options.alreadyAtBase ? head.lock : lock, registry.url) };
  await write(before);
  const base = repo.commit('before the pull request');
  await write(head);
  repo.commit('the pull request');
  const home = repo.dir.replace(/\/?$/, '-home');
  return {
    repo,
    registry,
    env: { npm_config_cache: join(home, 'npm-cache'), npm_config_userconfig: join(home, 'npmrc'), npm_config_registry: registry.url, HOME: home },
    base,
    close: async () => {
      await registry.close();
      await repo.cleanup();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** The lockfile before the pull request: openai one patch release earlier. */
function baseOf(lock: NpmLock, registry: string): NpmLock {
  const copy = structuredClone(lock);
  const root = copy.packages[''] as { dependencies: Record<string, string> };
  root.dependencies.openai = '5.23.1';
  copy.packages['node_modules/openai'] = { ...copy.packages['node_modules/openai'], version: '5.23.1', resolved: `${registry}openai/-/openai-5.23.1.tgz`, integrity: fakeIntegrity(1) };
  return copy;
}

/** The lockfile of the pull request: the fixture's (openai 5.23.2) plus native-build. */
function headOf(lock: NpmLock, registry: string): NpmLock {
  const copy = structuredClone(lock);
  const root = copy.packages[''] as { dependencies: Record<string, string> };
  root.dependencies['native-build'] = '1.0.0';
  copy.packages['node_modules/native-build'] = { version: '1.0.0', resolved: `${registry}native-build/-/native-build-1.0.0.tgz`, integrity: fakeIntegrity(2), hasInstallScript: true, license: 'MIT' };
  return copy;
}

function addNativeBuild(manifest: Record<string, unknown>): Record<string, unknown> {
  const dependencies = { ...(manifest.dependencies as Record<string, string>), 'native-build': '1.0.0' };
  return { ...manifest, dependencies };
}

function withOpenai(manifest: Record<string, unknown>, version: string): Record<string, unknown> {
  return { ...manifest, dependencies: { ...(manifest.dependencies as Record<string, string>), openai: version } };
}

function prefixed(packages: NpmLock['packages'], prefix: string): NpmLock['packages'] {
  return Object.fromEntries(Object.entries(packages).filter(([key]) => key !== '').map(([key, value]) => [`${prefix}${key}`, value]));
}

function withInstallScript(doc: Packument | undefined): void {
  if (!doc) throw new Error('no native-build document');
  for (const version of Object.values(doc.versions)) version.scripts = { ...INSTALL_SCRIPT };
}

function fakeIntegrity(seed: number): string {
  return `sha512-${Buffer.alloc(64, seed).toString('base64')}`;
}
