import type { Inventory } from '../inventory/model.js';
import type { ReportError } from '../model/report-error.js';
import type { RegistryFacts } from '../registry/facts/model.js';
import { RegistryFetchError, type RegistryClient } from '../registry/transport/client.js';
import { compareReleases, TarballIntegrityError, type FetchTarball, type ReleaseOutcome } from './compare.js';
import { DEFAULT_RELEASE_DIFF_WINDOW_MS, releasesInScope } from './scope.js';

/** What the release diff found: one outcome per release in scope (compared, tampered, or failed). */
export interface ReleaseDiffFacts {
  /** Outcomes by `LockedPackage.id`. */
  outcomes: Map<string, ReleaseOutcome>;
  windowMs: number;
  /** Releases in scope by age that could not be compared: the audit is incomplete without them. */
  errors: ReportError[];
  /** AI tool releases older than the window that could not be compared: extra scrutiny that did not happen, said plainly. */
  notices: string[];
}

export interface ReleaseDiffStageOptions {
  now: Date;
  /** An AI gateway or AI cost tool: compared whatever the age of its version. */
  isStrictAiTool(name: string): boolean;
  windowMs?: number;
  concurrency?: number;
}

/**
 * Runs after the registry stage: for each locked version in scope (published within the window,
 * or an AI gateway / cost tool), fetches its tarball and its predecessor's through the registry
 * client (npm's cache, configuration and auth) and compares their code. Skipped without facts.
 */
export async function releaseDiffStage(
  inventory: Inventory,
  facts: RegistryFacts | undefined,
  client: RegistryClient | undefined,
  options: ReleaseDiffStageOptions,
): Promise<ReleaseDiffFacts | undefined> {
  if (!facts || !client) return undefined;
  return releaseDiffWith(inventory, facts, clientTarballs(client), options);
}

export async function releaseDiffWith(inventory: Inventory, facts: RegistryFacts, fetchTarball: FetchTarball, options: ReleaseDiffStageOptions): Promise<ReleaseDiffFacts> {
  const windowMs = options.windowMs ?? DEFAULT_RELEASE_DIFF_WINDOW_MS;
  const registryPackages = inventory.packages.filter((pkg) => pkg.source === 'registry');
  const scoped = releasesInScope(registryPackages, (id) => facts.packages.get(id), options.isStrictAiTool, options.now, windowMs);
  const compared = await compareReleases(scoped, fetchTarball, { concurrency: options.concurrency ?? 4 });
  const outcomes = new Map<string, ReleaseOutcome>();
  const errors: ReportError[] = [];
  const unreadAiTools: string[] = [];
  for (const outcome of compared) {
    const { release } = outcome;
    for (const pkg of registryPackages) if (pkg.name === release.name && pkg.version === release.version) outcomes.set(pkg.id, outcome);
    if (outcome.status !== 'failed') continue;
    if (release.why === 'ai-tool') unreadAiTools.push(`${release.name}@${release.version} (${outcome.message})`);
    else errors.push({ scope: release.id, package: { name: release.name, version: release.version }, message: `release diff against ${release.previousVersion} not made: ${outcome.message}` });
  }
  const notices = unreadAiTools.length === 0 ? [] : [`Release diff: the code of ${unreadAiTools.length} AI tool release(s) older than the window was not compared with its predecessor (first: ${unreadAiTools[0]}).`];
  return { outcomes, windowMs, errors, notices };
}

function clientTarballs(client: RegistryClient): FetchTarball {
  return async (name, version, integrity) => {
    if (!integrity) throw new Error(`no integrity to check the ${name}@${version} tarball against`);
    try {
      return await client.fetchTarball(name, version, integrity);
    } catch (error) {
      const message = withoutCredentials(error instanceof Error ? error.message : String(error));
      if (error instanceof RegistryFetchError && error.kind === 'integrity') throw new TarballIntegrityError(message);
      throw new Error(message);
    }
  };
}

/** A registry URL may carry `user:password@`; messages reach reports and terminals without it. */
export function withoutCredentials(message: string): string {
  return message.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1');
}
