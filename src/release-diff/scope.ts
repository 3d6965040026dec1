import { DEFAULT_RELEASE_DIFF_WINDOW } from '../policy/policy.js';

/** What the release diff needs to know of a locked version and its predecessor (a structural view of the registry facts). */
export interface VersionView {
  version: string;
  publishedAt: string | null;
  integrity: string | null;
}

export interface FactsView {
  status: string;
  locked: VersionView | null;
  previous: VersionView | null;
  /** Every version was published at or before this time. */
  modified?: string | null;
}

export interface LockedView {
  id: string;
  name: string;
  version: string;
  integrity: string | null;
}

export interface ScopedRelease {
  id: string;
  name: string;
  version: string;
  /** The lockfile's integrity when it has one, else the registry's: the bytes must match it. */
  integrity: string | null;
  previousVersion: string;
  previousIntegrity: string | null;
  why: 'recent' | 'ai-tool' | 'age-unknown';
}


/**
 * The locked versions whose code is compared with their predecessor's: every version published
 * within the window, and every version of an AI gateway or AI cost tool whatever its age. The
 * window bounds the cost: an old version of an ordinary package is never downloaded.
 */
export function releasesInScope(
  packages: readonly LockedView[],
  factsOf: (id: string) => FactsView | undefined,
  isStrictAiTool: (name: string) => boolean,
  now: Date,
  windowMs: number = DEFAULT_RELEASE_DIFF_WINDOW,
): ScopedRelease[] {
  const scoped: ScopedRelease[] = [];
  const seen = new Set<string>();
  for (const pkg of packages) {
    const facts = factsOf(pkg.id);
    if (!facts || facts.status !== 'ok' || !facts.locked || !facts.previous) continue;
    const key = `${pkg.name}@${pkg.version}`;
    if (seen.has(key)) continue;
    const why = isStrictAiTool(pkg.name) ? 'ai-tool' : recency(facts, now, windowMs);
    if (!why) continue;
    seen.add(key);
    scoped.push({
      id: pkg.id,
      name: pkg.name,
      version: pkg.version,
      integrity: pkg.integrity ?? facts.locked.integrity,
      previousVersion: facts.previous.version,
      previousIntegrity: facts.previous.integrity,
      why,
    });
  }
  return scoped;
}

function recency(facts: FactsView, now: Date, windowMs: number): 'recent' | 'age-unknown' | null {
  const published = Date.parse(facts.locked?.publishedAt ?? '');
  if (Number.isFinite(published)) return now.getTime() - published < windowMs ? 'recent' : null;
  // no publish time (abbreviated document): old only if the whole document is older than the window
  const modified = Date.parse(facts.modified ?? '');
  return Number.isFinite(modified) && now.getTime() - modified >= windowMs ? null : 'age-unknown';
}
