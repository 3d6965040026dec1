import type { CachedDocument, CachedVersion } from './cache.js';
import type { VersionFacts } from './model.js';
import { earlierOf, publishTime, versionFacts } from './version-facts.js';
import type { DocumentView } from './document-view.js';
import { isRecord } from '../../util/is-record.js';

/** What the facts cache keeps of one package document. */
export type Content = Pick<CachedDocument, 'modified' | 'latest' | 'versions' | 'facts' | 'earlier' | 'removed'>;

/**
 * The cacheable content of a document: every version it lists, and the facts of the locked
 * versions, their predecessors and whatever versions the previous entry held. From the
 * abbreviated document, a version's full-document facts (publish time, publisher, repository,
 * scripts) are carried over from the previous entry when its integrity is unchanged: they
 * cannot change for a published version. Everything else comes from this document.
 */
export function contentOf(doc: DocumentView, full: boolean, locked: readonly string[], reuse: Record<string, CachedVersion>): Content {
  const versions = [...doc.versions];
  const listed = new Set(versions);
  const wanted = new Set<string>();
  const earlier: Record<string, string[]> = {};
  const removed: string[] = [];
  for (const version of locked) {
    if (!listed.has(version)) {
      if (full && publishTime(doc, version)) removed.push(version);
      continue;
    }
    wanted.add(version);
    earlier[version] = earlierOf(versions, version);
    for (const other of earlier[version] ?? []) wanted.add(other);
  }
  for (const version of Object.keys(reuse)) if (listed.has(version)) wanted.add(version);
  const facts: Record<string, CachedVersion> = {};
  for (const version of wanted) {
    const current = versionFacts(doc, version, full);
    if (current) facts[version] = full ? { ...current, full: true } : withKnownFullFacts(current, reuse[version]);
  }
  const distTags = doc.field('dist-tags');
  const latest = isRecord(distTags) && typeof distTags.latest === 'string' ? distTags.latest : null;
  const topModified = doc.field('modified');
  const time = typeof topModified === 'string' ? null : doc.field('time');
  const modified = typeof topModified === 'string' ? topModified : isRecord(time) && typeof time.modified === 'string' ? time.modified : null;
  return { modified, latest, versions, facts, earlier, removed: full ? removed : null };
}

function withKnownFullFacts(current: VersionFacts, known: CachedVersion | undefined): CachedVersion {
  if (!known?.full || known.integrity !== current.integrity) return { ...current, full: false };
  return { ...current, publishedAt: known.publishedAt, publisher: known.publisher, repository: known.repository, installScripts: known.installScripts, full: true };
}
