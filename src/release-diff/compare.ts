import { analyzeRelease } from './analyze.js';
import type { ReleaseDiffCache } from './cache.js';
import type { ReleaseDiff } from './model.js';
import type { ScopedRelease } from './scope.js';
import { DEFAULT_TARBALL_LIMITS, readPackageTarball, type TarballLimits } from './tarball-files.js';

/** Reads a package tarball (the registry client's job: npm's cache, the configured registry and auth). */
export type FetchTarball = (name: string, version: string, integrity: string | null) => Promise<Buffer>;

/** What a FetchTarball rejects with when the bytes it got do not match the integrity asked for. */
export class TarballIntegrityError extends Error {
  override name = 'TarballIntegrityError';
}

export type ReleaseOutcome =
  | { status: 'compared'; release: ScopedRelease; diff: ReleaseDiff }
  /** The bytes of one side do not match its integrity: a tampered tarball, or a lockfile that lies. */
  | { status: 'integrity-mismatch'; release: ScopedRelease; version: string; message: string }
  | { status: 'failed'; release: ScopedRelease; message: string };

/**
 * Compares each release with its predecessor, both tarballs fetched at once, a few releases at a
 * time. A comparison the cache holds for the same two integrities is not made again.
 */
export async function compareReleases(
  releases: readonly ScopedRelease[],
  fetchTarball: FetchTarball,
  options: { concurrency?: number; limits?: TarballLimits; cache?: ReleaseDiffCache | undefined } = {},
): Promise<ReleaseOutcome[]> {
  const outcomes: ReleaseOutcome[] = [];
  const queue: ScopedRelease[] = [];
  for (const release of releases) {
    const diff = options.cache?.get(release);
    if (diff) outcomes.push({ status: 'compared', release, diff });
    else queue.push(release);
  }
  const worker = async (): Promise<void> => {
    for (let release = queue.shift(); release; release = queue.shift()) {
      const outcome = await compareRelease(release, fetchTarball, options.limits);
      if (outcome.status === 'compared') options.cache?.store(release, outcome.diff);
      outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return outcomes.sort((a, b) => a.release.name.localeCompare(b.release.name) || a.release.version.localeCompare(b.release.version));
}

export async function compareRelease(release: ScopedRelease, fetchTarball: FetchTarball, limits: TarballLimits = DEFAULT_TARBALL_LIMITS): Promise<ReleaseOutcome> {
  const sides = [
    { version: release.version, integrity: release.integrity },
    { version: release.previousVersion, integrity: release.previousIntegrity },
  ];
  const reads = await Promise.all(
    sides.map(async (side) => {
      try {
        return await readPackageTarball(await fetchTarball(release.name, side.version, side.integrity), side.integrity, limits);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const mismatch = error instanceof TarballIntegrityError || (error as { code?: unknown } | null)?.code === 'EINTEGRITY';
        return { ok: false as const, failure: mismatch ? ('integrity-mismatch' as const) : ('unreadable' as const), message };
      }
    }),
  );
  for (const [index, read] of reads.entries()) {
    const side = sides[index];
    if (!read.ok && read.failure === 'integrity-mismatch' && side) return { status: 'integrity-mismatch', release, version: side.version, message: read.message };
  }
  const [current, previous] = reads;
  if (!current?.ok || !previous?.ok) {
    const failed = !current?.ok ? { read: current, version: release.version } : { read: previous, version: release.previousVersion };
    return { status: 'failed', release, message: `${release.name}@${failed.version}: ${failed.read && !failed.read.ok ? failed.read.message : 'not read'}` };
  }
  const diff = analyzeRelease({ name: release.name, version: release.version, previousVersion: release.previousVersion, current: current.contents, previous: previous.contents });
  return { status: 'compared', release, diff };
}
