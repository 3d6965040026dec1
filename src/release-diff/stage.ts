import type { Inventory } from '../inventory/model.js';
import type { RegistryFacts } from '../registry/facts/model.js';
import type { TarballFetch } from '../registry/tarballs.js';
import { redactUrlsIn } from '../util/redact-url.js';
import { RegistryFetchError } from '../registry/transport/client.js';
import type { ReleaseDiffCache } from './cache.js';
import { compareReleases, TarballIntegrityError, type FetchTarball, type ReleaseOutcome } from './compare.js';
import { DEFAULT_RELEASE_DIFF_WINDOW } from '../policy/policy.js';
import { releasesInScope } from './scope.js';

/** What the release diff found: one outcome per release in scope (compared, tampered, or failed). */
export interface ReleaseDiffFacts {
  /** Outcomes by `LockedPackage.id`. */
  outcomes: Map<string, ReleaseOutcome>;
  windowMs: number;
  /** Releases in scope whose code could not be compared, said plainly (as the AI stage says what package code it could not read). */
  notices: string[];
}

export interface ReleaseDiffStageOptions {
  now: Date;
  /** An AI gateway or AI cost tool: compared whatever the age of its version. */
  isStrictAiTool(name: string): boolean;
  windowMs?: number;
  concurrency?: number;
  /** Comparisons of earlier runs, by the integrities of both tarballs; this run's are added to it. */
  cache?: ReleaseDiffCache | undefined;
}

/**
 * Runs after the registry stage: for each locked version in scope (published within the window,
 * or an AI gateway / cost tool), fetches its tarball and its predecessor's through the registry
 * client (npm's cache, configuration and auth) and compares their code. Skipped without facts.
 */
export async function releaseDiffStage(
  inventory: Inventory,
  facts: RegistryFacts | undefined,
  fetchTarball: FetchTarball | undefined,
  options: ReleaseDiffStageOptions,
): Promise<ReleaseDiffFacts | undefined> {
  if (!facts || !fetchTarball) return undefined;
  const windowMs = options.windowMs ?? DEFAULT_RELEASE_DIFF_WINDOW;
  const registryPackages = inventory.packages.filter((pkg) => pkg.source === 'registry');
  const scoped = releasesInScope(registryPackages, (id) => facts.packages.get(id), options.isStrictAiTool, options.now, windowMs);
  const compared = await compareReleases(scoped, fetchTarball, { concurrency: options.concurrency ?? 4, cache: options.cache });
  const outcomes = new Map<string, ReleaseOutcome>();
  const unread: string[] = [];
  for (const outcome of compared) {
    const { release } = outcome;
    for (const pkg of registryPackages) if (pkg.name === release.name && pkg.version === release.version) outcomes.set(pkg.id, outcome);
    if (outcome.status === 'failed') unread.push(outcome.message);
  }
  const notices = unread.length === 0 ? [] : [`Release diff: the code of ${unread.length} of ${scoped.length} release(s) in scope was not compared with its predecessor, so release-code-changed could not judge it (first: ${unread[0]}).`];
  return { outcomes, windowMs, notices };
}

/**
 * Tarballs through the registry client, for the AI stage and the release diff alike. A tarball
 * fetched once is answered from npm's cache the second time; a failure is remembered for the run
 * so that no stage asks the registry twice for what it could not give.
 */
export function clientTarballs(tarballs: TarballFetch): FetchTarball {
  return (name, version, integrity) => fetchChecked(tarballs, name, version, integrity);
}

async function fetchChecked(tarballs: TarballFetch, name: string, version: string, integrity: string | null): Promise<Buffer> {
  if (!integrity) throw new Error(`no integrity to check the ${name}@${version} tarball against`);
  try {
    return await tarballs(name, version, integrity);
  } catch (error) {
    const message = redactUrlsIn(error instanceof Error ? error.message : String(error));
    if (error instanceof RegistryFetchError && error.kind === 'integrity') throw new TarballIntegrityError(message);
    throw new Error(message);
  }
}

