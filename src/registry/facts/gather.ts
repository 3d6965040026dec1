import type { LockedPackage } from '../../inventory/model.js';
import type { ReportError } from '../../model/report-error.js';
import type { RegistryClient } from '../transport/client.js';
import { FactsCache } from './cache.js';
import type { PackageFacts, RegistryFacts } from './model.js';
import { failed } from './fetch-failure.js';
import { factsForName, type FactsOptions } from './name-facts.js';

export interface GatherOptions extends FactsOptions {
  /** The registry-facts cache (default: one kept in memory for this run). */
  factsCache?: FactsCache | undefined;
  onProgress?(done: number, total: number): void;
  /** Called with each package's facts as soon as its name is done, unless a fresh cache entry answered them (that run saw them). */
  onFacts?(pkg: LockedPackage, facts: PackageFacts): void;
}

const NOT_CACHED_NAMED = 5;

/**
 * What the registry says about every locked registry package: one abbreviated document per
 * package name, and the full document only when a fact needs it (see factsForName).
 */
export async function gatherFacts(packages: LockedPackage[], options: GatherOptions): Promise<RegistryFacts> {
  const cache = options.factsCache ?? (await FactsCache.open(null));
  const facts: RegistryFacts = { packages: new Map(), keys: new Map(), errors: [] };
  const byName = new Map<string, LockedPackage[]>();
  for (const pkg of packages) {
    if (pkg.source !== 'registry') facts.packages.set(pkg.id, notApplicable(pkg));
    else byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  }
  const total = byName.size;
  let done = 0;
  options.onProgress?.(0, total);
  await Promise.all(
    [...byName].map(async ([name, locked]) => {
      const cached = options.onFacts ? cache.get(options.client.documentUrl(name)) : null;
      const fromFreshEntry = cached !== null && cache.isFresh(cached);
      const found = await factsForName(name, locked, options, cache);
      for (const entry of found) facts.packages.set(entry.id, entry);
      if (!fromFreshEntry) for (const pkg of locked) {
        const entry = facts.packages.get(pkg.id);
        if (entry) options.onFacts?.(pkg, entry);
      }
      options.onProgress?.(++done, total);
    }),
  ).catch((error: unknown) => {
    options.client.abort();
    throw error;
  });
  // in the lockfile's order, not the order the documents happened to arrive in: reports are reproducible
  facts.errors.push(...errorsOf(packages.flatMap((pkg) => facts.packages.get(pkg.id) ?? []), options.client));
  return facts;
}

function notApplicable(pkg: LockedPackage): PackageFacts {
  return { ...failed(pkg, { status: 'not-applicable', message: '' }), error: null };
}

function errorsOf(packages: PackageFacts[], client: RegistryClient): ReportError[] {
  const errors: ReportError[] = [];
  const notCached: PackageFacts[] = [];
  for (const facts of packages) {
    if (facts.status === 'not-cached') notCached.push(facts);
    else if (facts.status === 'error') {
      errors.push({ scope: facts.id, message: `registry facts unknown: ${facts.error ?? 'fetch failed'}`, package: { name: facts.name, version: facts.version } });
    }
  }
  if (notCached.length > 0) {
    const named = notCached.slice(0, NOT_CACHED_NAMED).map((facts) => facts.id).join(', ');
    const more = notCached.length > NOT_CACHED_NAMED ? ` and ${notCached.length - NOT_CACHED_NAMED} more` : '';
    errors.push({
      scope: 'registry',
      message: `--offline: ${notCached.length} of ${packages.length} packages are not in npm's cache (${String(client.config.flat.cache ?? 'cache')}), so their registry facts are unknown: ${named}${more}.`,
    });
  }
  return errors;
}

