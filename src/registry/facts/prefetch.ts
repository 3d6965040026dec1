import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { locateLockfiles } from '../../inventory/locate.js';
import type { RegistryClient } from '../transport/client.js';
import { inlineDocuments, type DocumentSource } from './document-source.js';
import { FactsCache, factsCachePath } from './cache.js';
import { isRecord } from '../../util/is-record.js';
import { WorkerDocuments } from './worker-document-source.js';
import { cacheAuthFor } from '../../util/cache-auth.js';

export interface RegistryPrefetch {
  factsCache: FactsCache;
  documents: DocumentSource;
}

/**
 * Started, and awaited, before the inventory is built: opens the facts cache and starts the
 * document worker on the abbreviated documents of the registry packages an npm lockfile names that the cache
 * knows nothing about — the requests the registry stage would open with — so they are fetched
 * while the main thread builds the inventory. The inventory stays the authority: a name it does
 * not hold costs one unused request, one the lockfile read missed is fetched when asked for.
 * On a single core the documents are fetched inline, when asked for. Null when offline (nothing is fetched).
 */
export async function startRegistryPrefetch(dir: string, client: RegistryClient, fullAfter: FullDocumentHint = () => undefined): Promise<RegistryPrefetch | null> {
  if (client.offline) return null;
  const cacheFile = factsCachePath(client.config.flat.cache);
  // with a single core a worker only adds its start-up to the same CPU
  if (availableParallelism() < 2) return { factsCache: await FactsCache.open(cacheFile, Date.now, await cacheAuthFor(client.config.cacheKeyFile)), documents: inlineDocuments(client) };
  const documents = new WorkerDocuments(client);
  // without a facts cache every document is fetched: the worker loads its modules while the cache
  // and the lockfile are read (with one, a warm run may need no worker at all; it starts when used)
  if (!cacheFile || !existsSync(cacheFile)) documents.start();
  const [factsCache, locked] = await Promise.all([FactsCache.open(cacheFile, Date.now, await cacheAuthFor(client.config.cacheKeyFile)), lockfileNames(resolve(dir)).catch(() => new Map<string, boolean>())]).catch(async (error: unknown) => {
    await documents.close();
    throw error;
  });
  const names = [...locked.keys()].filter((name) => !factsCache.get(client.documentUrl(name)));
  const hints: Record<string, number> = {};
  for (const name of names) {
    const after = fullAfter(name, locked.get(name) === true);
    if (after !== undefined) hints[name] = after;
  }
  documents.prefetch(names, hints);
  return { factsCache, documents };
}

/** The `DocumentRequest.fullAfter` of a package, given whether the lockfile says one of its versions runs install scripts. */
export type FullDocumentHint = (name: string, hasInstallScript: boolean) => number | undefined;

/** Names of the registry packages in the project's npm lockfile (v2/v3 `packages`), when npm's lockfile is the one audited, and whether it records install scripts for any of their versions. */
async function lockfileNames(root: string): Promise<Map<string, boolean>> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as unknown;
  const { chosen } = await locateLockfiles(root, isRecord(manifest) ? manifest.packageManager : undefined);
  const names = new Map<string, boolean>();
  if (chosen?.format !== 'npm') return names;
  const lockfile = JSON.parse(await readFile(chosen.path, 'utf8')) as unknown;
  if (!isRecord(lockfile) || !isRecord(lockfile.packages)) return names;
  for (const [path, entry] of Object.entries(lockfile.packages)) {
    const at = path.lastIndexOf('node_modules/');
    if (at < 0 || !isRecord(entry) || entry.link === true || typeof entry.version !== 'string') continue;
    if (typeof entry.resolved === 'string' && !/^https?:\/\/.*\/-\/[^/]+\.tgz$/.test(entry.resolved)) continue;
    const name = typeof entry.name === 'string' ? entry.name : path.slice(at + 'node_modules/'.length);
    names.set(name, names.get(name) === true || entry.hasInstallScript === true);
  }
  return names;
}
