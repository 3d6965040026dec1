import { readFile, stat } from 'node:fs/promises';
import { assertInsideProject } from './inside-project.js';
import { CacheAuth } from '../util/cache-auth.js';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { AuditError, errorMessage } from '../model/errors.js';
import { InventoryCache } from './cache.js';
import { packagesOf, type DependencyGraph } from './graph.js';
import { locateLockfiles, type LockfileCandidate } from './locate.js';
import { readManifest, type Manifest } from './manifest.js';
import type { DeclaredDependency, Importer, Inventory, LockfileFormat } from './model.js';
import type { LockfileReader } from './reader.js';

/**
 * One reader per lockfile format; adding a format is its reader plus one line here. A run reads
 * one format, so each reader (and its parser) is loaded when its format is read.
 */
export const LOCKFILE_READERS: Readonly<Record<LockfileFormat, LockfileReader>> = {
  npm: loadedWhenRead('npm', async () => (await import('./npm.js')).npmLockfileReader),
  pnpm: loadedWhenRead('pnpm', async () => (await import('./pnpm.js')).pnpmLockfileReader),
  'yarn-classic': loadedWhenRead('yarn-classic', async () => (await import('./yarn-classic.js')).yarnClassicLockfileReader),
  'yarn-berry': loadedWhenRead('yarn-berry', async () => (await import('./yarn-berry.js')).yarnBerryLockfileReader),
  bun: loadedWhenRead('bun', async () => (await import('./bun.js')).bunLockfileReader),
};

function loadedWhenRead(format: LockfileFormat, load: () => Promise<LockfileReader>): LockfileReader {
  return { format, read: async (input) => (await load()).read(input) };
}

export interface ReadInventoryOptions {
  /** Our folder in npm's cache (`toolCacheDir`): successful reads are kept there; null or absent → no cache. */
  cacheDir?: string | null;
  /** Authenticates the cache files (util/cache-auth.ts); absent: a key for this process only. */
  cacheAuth?: CacheAuth | null;
  /** The lockfile readers (tests swap one out); default LOCKFILE_READERS. */
  readers?: Readonly<Record<LockfileFormat, LockfileReader>>;
}

export async function readInventory(dir: string, options: ReadInventoryOptions = {}): Promise<Inventory> {
  const root = resolve(dir);
  await assertDirectory(root);
  const rootManifest = await readManifest(root, root);
  const { chosen, ignored, reason } = await locateLockfiles(root, rootManifest.raw.packageManager);
  const notices: string[] = [];
  if (chosen && ignored.length > 0) {
    notices.push(
      `Audited ${chosen.file} (${reason}); ${ignored.map((other) => other.file).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} also present and ` +
        `${ignored.length === 1 ? 'was' : 'were'} not audited: remove stale lockfiles so every tool installs the same tree.`,
    );
  } else if (chosen && reason) {
    notices.push(`Audited ${chosen.file}; ${reason}.`);
  }
  const name = rootManifest.name ?? basename(root);

  if (!chosen) {
    const importers = await importersWithoutLockfile(root, rootManifest);
    return { root, name, lockfile: null, importers, packages: [], notices };
  }
  const { reader, format, text } = await lockfileInput(chosen, options.readers ?? LOCKFILE_READERS);
  const cache = new InventoryCache(options.cacheDir ?? null, options.cacheAuth !== undefined ? options.cacheAuth : CacheAuth.ephemeral());
  const key = options.cacheDir ? await cacheKey(root, chosen, text, rootManifest, ignored, notices) : null;
  const cached = key ? await cache.get(root, key) : null;
  if (cached) return cached;

  const { version, graph, notices: readerNotices = [] } = await reader.read({
    root,
    lockfile: { path: chosen.path, file: chosen.file, format },
    text,
  });
  const importers = await importersOf(root, graph, rootManifest, name, readerNotices);
  const inventory: Inventory = {
    root,
    name,
    lockfile: { path: chosen.path, file: chosen.file, format, version },
    importers,
    packages: packagesOf(graph),
    notices: [...notices, ...readerNotices],
  };
  if (key) await cache.set(key, inventory);
  return inventory;
}

/** Arborist also reads a yarn.lock beside an npm lockfile, so it is part of an npm read's input. */
async function cacheKey(root: string, chosen: LockfileCandidate, text: string, rootManifest: Manifest, ignored: LockfileCandidate[], notices: string[]): Promise<string | null> {
  const yarnLock = chosen.format === 'npm' ? ignored.find((other) => other.file === 'yarn.lock') : undefined;
  const extra: Array<[string, string | null]> = yarnLock ? [[yarnLock.file, await readFile(yarnLock.path, 'utf8').catch(() => null)]] : [];
  const workspaceFolders = rootManifest.workspaces.length > 0 ? await workspaceFolderList(root, rootManifest) : [];
  if (!workspaceFolders) return null;
  return InventoryCache.keyOf({ root, lockfile: chosen, lockfileText: text, manifestText: rootManifest.text, notices, extra, workspaceFolders });
}

/** The folders the root's `workspaces` globs match now: a new workspace folder changes the inventory. */
async function workspaceFolderList(root: string, rootManifest: Manifest): Promise<string[] | null> {
  try {
    const { default: mapWorkspaces } = await import('@npmcli/map-workspaces');
    const folders = await mapWorkspaces({ cwd: root, pkg: rootManifest.raw });
    return [...folders].map(([workspace, path]) => `${workspace}\0${relative(root, path)}`).sort();
  } catch {
    // the read itself reports a broken workspaces setting; here it only means "no cache"
    return null;
  }
}

export async function assertDirectory(root: string): Promise<void> {
  try {
    if (!(await stat(root)).isDirectory()) throw new AuditError('EPROJECT_MISSING', `${root} is not a directory.`, { file: root });
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError('EPROJECT_MISSING', `Project directory ${root} does not exist.`, { file: root, cause: error });
  }
}

async function lockfileInput(candidate: LockfileCandidate, readers: Readonly<Record<LockfileFormat, LockfileReader>>): Promise<{ reader: LockfileReader; format: LockfileFormat; text: string }> {
  if (candidate.format === 'bun-binary') {
    throw new AuditError(
      'ELOCKFILE_UNSUPPORTED',
      `${candidate.path} is bun's binary lockfile, a format this tool does not read; write the text bun.lock with ` +
        `\`bun install --save-text-lockfile --frozen-lockfile --lockfile-only\` (bun 1.1.39+; bun 1.2+ writes it by default), commit it, delete bun.lockb and audit again.`,
      { file: candidate.path },
    );
  }
  const reader = readers[candidate.format];
  if (!reader) {
    throw new AuditError('ELOCKFILE_UNSUPPORTED', `${candidate.path}: ${candidate.format} lockfiles are not supported yet.`, {
      file: candidate.path,
    });
  }
  await assertInsideProject(dirname(candidate.path), candidate.path, candidate.file, 'ELOCKFILE_PARSE');
  try {
    return { reader, format: candidate.format, text: await readFile(candidate.path, 'utf8') };
  } catch (error) {
    throw new AuditError('ELOCKFILE_PARSE', `Cannot read ${candidate.path}: ${errorMessage(error)}.`, { file: candidate.path, cause: error });
  }
}

async function importersOf(
  root: string,
  graph: DependencyGraph,
  rootManifest: Manifest,
  rootName: string,
  notices: string[],
): Promise<Importer[]> {
  const manifests = new Map<string, Manifest | null>();
  for (const importer of graph.importers) {
    manifests.set(importer.key, importer.path === '.' ? rootManifest : await workspaceManifest(root, importer.path, notices));
  }
  const importers: Importer[] = [];
  for (const importer of graph.importers) {
    const manifest = manifests.get(importer.key) ?? null;
    const lockedByName = new Map<string, DeclaredDependency['locked']>();
    for (const edge of graph.edgesFrom(importer.key)) {
      const node = graph.nodes.get(edge.to);
      if (node) {
        lockedByName.set(edge.name, { name: node.name, version: node.version, source: node.source });
        continue;
      }
      // a dependency on another workspace of the project is linked, not locked
      const target = graph.importers.find((other) => other.key === edge.to);
      const targetManifest = target ? manifests.get(target.key) : null;
      if (target) {
        lockedByName.set(edge.name, {
          name: targetManifest?.name ?? target.name,
          version: targetManifest?.version ?? '',
          source: 'directory',
          workspace: target.path,
        });
      }
    }
    importers.push({
      path: importer.path,
      name: manifest?.name ?? (importer.path === '.' ? rootName : importer.path),
      version: manifest?.version ?? null,
      declared: (manifest?.declared ?? []).map((dep) => ({ ...dep, locked: lockedByName.get(dep.name) ?? null })),
    });
  }
  return importers;
}

/** A workspace the lockfile lists but whose folder has no package.json (a stale lockfile) is noted, not fatal. */
async function workspaceManifest(root: string, path: string, notices: string[]): Promise<Manifest | null> {
  try {
    return await readManifest(join(root, path), root);
  } catch (error) {
    if (!(error instanceof AuditError) || error.code !== 'EMANIFEST_MISSING') throw error;
    notices.push(`The lockfile lists workspace ${path}, which has no package.json: its declared dependencies are not checked.`);
    return null;
  }
}

async function importersWithoutLockfile(root: string, rootManifest: Manifest): Promise<Importer[]> {
  const importers: Importer[] = [toImporter('.', rootManifest, basename(root))];
  if (rootManifest.workspaces.length === 0) return importers;
  const { default: mapWorkspaces } = await import('@npmcli/map-workspaces');
  const workspaces = await mapWorkspaces({ cwd: root, pkg: rootManifest.raw });
  for (const path of workspaces.values()) {
    const manifest = await readManifest(path, root);
    importers.push(toImporter(relative(root, path), manifest, relative(root, path)));
  }
  return importers;
}

function toImporter(path: string, manifest: Manifest, fallbackName: string): Importer {
  return {
    path,
    name: manifest.name ?? fallbackName,
    version: manifest.version,
    declared: manifest.declared.map((dep) => ({ ...dep, locked: null })),
  };
}
