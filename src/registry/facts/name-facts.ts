import type { LockedPackage } from '../../inventory/model.js';
import { RegistryFetchError } from '../transport/client.js';
import type { Content } from './document-content.js';
import { fetchErrorOf, inlineDocuments, npmCacheDocuments, type DocumentAnswer, type DocumentRequest, type DocumentSource, type SerializedFetchError } from './document-source.js';
import type { CachedDocument, CachedVersion, FactsCache } from './cache.js';
import type { PackageFacts, VersionFacts } from './model.js';
import type { RegistryClient } from '../transport/client.js';
import { failed, fetchFailure } from './fetch-failure.js';
import { earlierOf } from './version-facts.js';

export interface FactsOptions {
  client: RegistryClient;
  now: Date;
  /** The longest window that can apply to a package (release age, release diff): younger versions need their publish time. */
  windowFor(name: string): number;
  /** Packages whose publisher and publish time are always wanted (the strict tier). */
  wantsFullDocument(name: string): boolean;
  /** Where documents come from (default: fetched and reduced on this thread). */
  documents?: DocumentSource | undefined;
}

/**
 * The facts of one package name, the one path for online, cached and offline runs: a fresh
 * entry of the registry-facts cache that holds everything the locked versions need answers
 * without a request; a stale one is revalidated with a conditional request (a 304 makes it
 * fresh again); otherwise the abbreviated document is fetched, and the full one only when a
 * fact needs it and no earlier run already read it for that exact version. A locked version
 * missing from a cached entry is always confirmed with the registry first. Offline, what the
 * entry cannot answer is read from npm's own HTTP cache (e.g. after `npm install`).
 */
export async function factsForName(name: string, locked: LockedPackage[], options: FactsOptions, cache: FactsCache): Promise<PackageFacts[]> {
  const { client } = options;
  const url = client.documentUrl(name);
  const entry = cache.get(url);
  const served = entry && serve(entry, name, locked, options);
  const request: DocumentRequest = { locked: locked.map((pkg) => pkg.version), reuse: entry?.facts ?? {} };
  if (client.offline) return served || (await fromNpmCache(name, locked, request, options));
  try {
    if (entry && served) {
      const confirm = served.some((facts) => facts.status === 'version-not-found');
      if (!confirm && cache.isFresh(entry)) {
        cache.used(url, entry);
        return served;
      }
      const answer = await documentsOf(options).content(name, 'abbreviated', { ...request, conditional: { etag: entry.etag, lastModified: entry.lastModified } });
      if (!answer.content) {
        cache.revalidated(url, entry, answer.validators);
        return served;
      }
      return await fromRegistry(name, locked, answer.content, answer, request, options, cache);
    }
    const scripted = locked.some((pkg) => pkg.hasInstallScript === true);
    const answer = await documentsOf(options).content(name, 'abbreviated', { ...request, fullAfter: fullDocumentAfter(name, scripted, options) });
    if (!answer.content) throw new RegistryFetchError('malformed', `a 304 without a conditional request from ${url}`, url);
    return await fromRegistry(name, locked, answer.content, answer, request, options, cache);
  } catch (error) {
    const failure = fetchFailure(error, name, client);
    return locked.map((pkg) => failed(pkg, failure));
  }
}

/** Offline: the documents npm's HTTP cache holds, reduced the same way; nothing is stored in the facts cache. */
async function fromNpmCache(name: string, locked: LockedPackage[], request: DocumentRequest, options: FactsOptions): Promise<PackageFacts[]> {
  const documents = npmCacheDocuments(options.client);
  try {
    const answer = await documents.content(name, 'abbreviated', request);
    if (!answer.content) throw new RegistryFetchError('malformed', `no document in the cache for ${name}`, options.client.documentUrl(name));
    return await withFullDocument(name, locked, answer.content, request, { ...options, documents }, () => undefined);
  } catch (error) {
    const failure = fetchFailure(error, name, options.client);
    return locked.map((pkg) => failed(pkg, failure));
  }
}

/** Facts from a 200 answer, plus the full document when a locked version needs it; the result is cached. */
function fromRegistry(name: string, locked: LockedPackage[], content: Content, answer: Pick<DocumentAnswer, 'validators' | 'fullFailure'>, request: DocumentRequest, options: FactsOptions, cache: FactsCache): Promise<PackageFacts[]> {
  const url = options.client.documentUrl(name);
  return withFullDocument(name, locked, content, request, options, (content) => cache.store(url, answer.validators, content), answer.fullFailure);
}

/** `fullFailure`: the full document failed already (in the abbreviated one's place): it is reported, not asked for again. */
async function withFullDocument(name: string, locked: LockedPackage[], answer: Content, request: DocumentRequest, options: FactsOptions, keep: (content: Content) => void, fullFailure?: SerializedFetchError): Promise<PackageFacts[]> {
  let content = answer;
  const needsFull = locked.some((pkg) => !content.versions.includes(pkg.version) || !covers(content, name, pkg.version, options));
  if (needsFull) {
    try {
      const failed = fullFailure && fetchErrorOf(fullFailure);
      if (failed) throw failed;
      const full = await documentsOf(options).content(name, 'full', { locked: request.locked, reuse: request.reuse });
      if (full.content) content = full.content;
    } catch (error) {
      const failure = fetchFailure(error, name, options.client);
      keep(content);
      return locked.map((pkg) => ({ ...factsOf(pkg, content), status: failure.status, error: `full document: ${failure.message}` }));
    }
  }
  keep(content);
  return locked.map((pkg) => factsOf(pkg, content));
}

/** Every locked version answered from the entry, or null when the entry lacks a fact one of them needs. */
function serve(entry: CachedDocument, name: string, locked: LockedPackage[], options: FactsOptions): PackageFacts[] | null {
  const facts: PackageFacts[] = [];
  for (const pkg of locked) {
    if (entry.versions.includes(pkg.version) && !covers(entry, name, pkg.version, options)) return null;
    facts.push(factsOf(pkg, entry));
  }
  return facts;
}

/** Whether the content holds every fact the locked version needs (see `needsFullFacts`). */
function covers(content: Content, name: string, version: string, options: FactsOptions): boolean {
  const locked = content.facts[version];
  if (!locked) return false;
  const earlier = earlierIn(content, version).map((other) => content.facts[other]);
  if (earlier.some((facts) => !facts)) return false;
  if (!needsFullFacts(locked, content.modified, name, options)) return true;
  return locked.full && earlier.every((facts) => facts?.full === true);
}

/**
 * The full document's facts are needed for a version with install scripts (which ones, and did
 * the previous version have them), for the strict tier (publisher, publish time), and when the
 * version may be inside its release-age window: the document changed since the window opened.
 */
function needsFullFacts(locked: CachedVersion, modified: string | null, name: string, options: FactsOptions): boolean {
  // which scripts, whether the previous version had them, and when they came (install-script-added weighs the release's age)
  if (!locked.full && (locked.installScripts === null || Object.keys(locked.installScripts).length > 0)) return true;
  if (options.wantsFullDocument(name)) return true;
  if (locked.publishedAt) return false;
  const changed = modified ? Date.parse(modified) : NaN;
  return Number.isNaN(changed) || changed > options.now.getTime() - options.windowFor(name);
}

/**
 * When a package the cache knows nothing about will want its full document, judged before any
 * document is read (see `DocumentRequest.fullAfter`): always for the strict tier and when the
 * lockfile says a locked version runs install scripts, otherwise if the document changed inside
 * the package's window. `needsFullFacts` still decides on the document itself.
 */
export function fullDocumentAfter(name: string, hasInstallScript: boolean, options: Pick<FactsOptions, 'now' | 'windowFor' | 'wantsFullDocument'>): number {
  if (hasInstallScript || options.wantsFullDocument(name)) return -Infinity;
  return options.now.getTime() - options.windowFor(name);
}

/** The versions before `version`, as stored when the entry was made (sorting a long version list by semver is not free). */
function earlierIn(content: Content, version: string): string[] {
  return content.earlier[version] ?? earlierOf(content.versions, version);
}

function factsOf(pkg: LockedPackage, content: Content): PackageFacts {
  const cached = content.versions.includes(pkg.version) ? content.facts[pkg.version] : undefined;
  const earlier = cached ? earlierIn(content, pkg.version).flatMap((version) => content.facts[version] ?? []) : [];
  const full = cached?.full === true && earlier.every((facts) => facts.full);
  return {
    id: pkg.id,
    name: pkg.name,
    version: pkg.version,
    status: cached ? 'ok' : 'version-not-found',
    error: null,
    locked: cached ? plain(cached) : null,
    previous: earlier[0] ? plain(earlier[0]) : null,
    earlier: earlier.map(plain),
    document: full ? 'full' : 'abbreviated',
    modified: content.modified,
    latest: content.latest,
    ...(cached ? {} : { removed: content.removed ? content.removed.includes(pkg.version) : null }),
  };
}

/** The facts without the cache's bookkeeping, field by field: an object-rest copy of ~7,000 versions was a measurable part of a warm run. */
function plain(cached: CachedVersion): VersionFacts {
  const facts: VersionFacts = {
    version: cached.version,
    publishedAt: cached.publishedAt,
    integrity: cached.integrity,
    tarball: cached.tarball,
    deprecated: cached.deprecated,
    installScripts: cached.installScripts,
    publisher: cached.publisher,
    repository: cached.repository,
    signatures: cached.signatures,
    attestations: cached.attestations,
  };
  if (cached.shasum !== undefined) facts.shasum = cached.shasum;
  return facts;
}

function documentsOf(options: FactsOptions): DocumentSource {
  return options.documents ?? inlineDocuments(options.client);
}
