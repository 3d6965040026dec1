import type { LockedPackage } from '../inventory/model.js';
import type { Fetched } from './client.js';
import type { CachedDocument, CachedVersion, FactsCache } from './facts-cache.js';
import type { PackageFacts, VersionFacts } from './facts.js';
import { failed, fetchFailure } from './fetch-failure.js';
import type { GatherOptions } from './gather.js';
import { earlierOf, isRecord, versionFacts, versionsOf } from './version-facts.js';

type Doc = Record<string, unknown>;
type Content = Pick<CachedDocument, 'modified' | 'latest' | 'versions' | 'facts' | 'earlier'>;

/**
 * The facts of one package name through the registry-facts cache: a fresh entry that holds
 * everything the locked versions need answers without a request; a stale one is revalidated
 * with a conditional request (a 304 makes it fresh again); otherwise the abbreviated document is
 * fetched, and the full one only when a fact needs it and no earlier run already read it for
 * that exact version. A locked version missing from a cached entry is always confirmed with
 * the registry first. Offline, resolves null when the entry cannot answer (the caller then
 * tries npm's HTTP cache).
 */
export async function cachedFactsForName(name: string, locked: LockedPackage[], options: GatherOptions, cache: FactsCache): Promise<PackageFacts[] | null> {
  const { client } = options;
  const url = client.documentUrl(name);
  const entry = cache.get(url);
  const served = entry && serve(entry, name, locked, options);
  if (client.offline) return served || null;
  try {
    if (entry && served) {
      const confirm = served.some((facts) => facts.status === 'version-not-found');
      if (!confirm && cache.isFresh(entry)) {
        cache.used(url, entry);
        return served;
      }
      const answer = await client.document(name, 'abbreviated', { etag: entry.etag, lastModified: entry.lastModified });
      if (answer.status === 304 || !answer.body) {
        cache.revalidated(url, entry, answer.validators);
        return served;
      }
      return await fromRegistry(name, locked, answer as Fetched<Doc>, entry, options, cache);
    }
    const answer = await client.document(name, 'abbreviated');
    return await fromRegistry(name, locked, answer as Fetched<Doc>, entry, options, cache);
  } catch (error) {
    const failure = fetchFailure(error, name, client);
    return locked.map((pkg) => failed(pkg, failure));
  }
}

/** Facts from a 200 answer, plus the full document when a locked version needs it; the result is cached. */
async function fromRegistry(name: string, locked: LockedPackage[], answer: Fetched<Doc>, previous: CachedDocument | null, options: GatherOptions, cache: FactsCache): Promise<PackageFacts[]> {
  const url = options.client.documentUrl(name);
  const reuse = previous?.facts ?? {};
  let content = contentOf(answer.body, false, locked, reuse);
  const needsFull = locked.some((pkg) => !content.versions.includes(pkg.version) || !covers(content, name, pkg.version, options));
  if (needsFull) {
    try {
      const full = await options.client.document(name, 'full');
      if (full.body) content = contentOf(full.body, true, locked, reuse);
    } catch (error) {
      const failure = fetchFailure(error, name, options.client);
      cache.store(url, answer.validators, content);
      return locked.map((pkg) => ({ ...factsOf(pkg, content), status: failure.status, error: `full document: ${failure.message}` }));
    }
  }
  cache.store(url, answer.validators, content);
  return locked.map((pkg) => factsOf(pkg, content));
}

/** Every locked version answered from the entry, or null when the entry lacks a fact one of them needs. */
function serve(entry: CachedDocument, name: string, locked: LockedPackage[], options: GatherOptions): PackageFacts[] | null {
  const facts: PackageFacts[] = [];
  for (const pkg of locked) {
    if (entry.versions.includes(pkg.version) && !covers(entry, name, pkg.version, options)) return null;
    facts.push(factsOf(pkg, entry));
  }
  return facts;
}

/** Whether the content holds every fact the locked version needs (see `needsFullFacts`). */
function covers(content: Content, name: string, version: string, options: GatherOptions): boolean {
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
function needsFullFacts(locked: CachedVersion, modified: string | null, name: string, options: GatherOptions): boolean {
  if (!locked.full && locked.installScripts === null) return true;
  if (options.wantsFullDocument(name)) return true;
  if (locked.publishedAt) return false;
  const changed = modified ? Date.parse(modified) : NaN;
  return Number.isNaN(changed) || changed > options.now.getTime() - options.windowFor(name);
}

/**
 * The cacheable content of a document: every version it lists, and the facts of the locked
 * versions, their predecessors and whatever versions the previous entry held. From the
 * abbreviated document, a version's full-document facts (publish time, publisher, repository,
 * scripts) are carried over from the previous entry when its integrity is unchanged: they
 * cannot change for a published version. Everything else comes from this document.
 */
function contentOf(doc: Doc, full: boolean, locked: LockedPackage[], reuse: Record<string, CachedVersion>): Content {
  const manifests = versionsOf(doc);
  const versions = Object.keys(manifests).filter((version) => isRecord(manifests[version]));
  const wanted = new Set<string>();
  const earlier: Record<string, string[]> = {};
  for (const pkg of locked) {
    if (!isRecord(manifests[pkg.version])) continue;
    wanted.add(pkg.version);
    earlier[pkg.version] = earlierOf(versions, pkg.version);
    for (const version of earlier[pkg.version] ?? []) wanted.add(version);
  }
  for (const version of Object.keys(reuse)) if (isRecord(manifests[version])) wanted.add(version);
  const facts: Record<string, CachedVersion> = {};
  for (const version of wanted) {
    const current = versionFacts(doc, version, full);
    if (current) facts[version] = full ? { ...current, full: true } : withKnownFullFacts(current, reuse[version]);
  }
  const distTags = isRecord(doc['dist-tags']) ? doc['dist-tags'] : {};
  const modified = typeof doc.modified === 'string' ? doc.modified : isRecord(doc.time) && typeof doc.time.modified === 'string' ? doc.time.modified : null;
  return { modified, latest: typeof distTags.latest === 'string' ? distTags.latest : null, versions, facts, earlier };
}

/** The versions before `version`, as stored when the entry was made (sorting a long version list by semver is not free). */
function earlierIn(content: Content, version: string): string[] {
  return content.earlier[version] ?? earlierOf(content.versions, version);
}

function withKnownFullFacts(current: VersionFacts, known: CachedVersion | undefined): CachedVersion {
  if (!known?.full || known.integrity !== current.integrity) return { ...current, full: false };
  return { ...current, publishedAt: known.publishedAt, publisher: known.publisher, repository: known.repository, installScripts: known.installScripts, full: true };
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
  };
}

function plain(cached: CachedVersion): VersionFacts {
  const { full: _full, ...facts } = cached;
  return facts;
}
