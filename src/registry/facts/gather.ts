import type { LockedPackage } from '../../inventory/model.js';
import type { ReportError } from '../../model/report-error.js';
import type { Fetched, RegistryClient } from '../transport/client.js';
import { cachedFactsForName } from './cached.js';
import type { DocumentSource } from './document-source.js';
import type { FactsCache } from './cache.js';
import type { FactsStatus, PackageFacts, RegistryFacts } from './model.js';
import { failed, fetchFailure } from './fetch-failure.js';
import { earlierVersions, publishTime, versionFacts, versionsOf } from './version-facts.js';
import { isRecord } from '../../util/is-record.js';

export interface GatherOptions {
  client: RegistryClient;
  now: Date;
  /** The longest release-age window that can apply to a package: younger versions need their publish time. */
  windowFor(name: string): number;
  /** Packages whose publisher and publish time are always wanted (the strict tier). */
  wantsFullDocument(name: string): boolean;
  /** The registry-facts cache; without one, documents go through npm's HTTP cache. */
  factsCache?: FactsCache | undefined;
  /** Where documents come from with a facts cache (default: fetched and reduced on this thread). */
  documents?: DocumentSource | undefined;
  onProgress?(done: number, total: number): void;
}

type Doc = Record<string, unknown>;

const NOT_CACHED_NAMED = 5;

/**
 * The registry stage: one abbreviated document per package name, and the full document only
 * when a fact needs it — a version that may be inside its release-age window (the abbreviated
 * `modified` rules that out for most packages), a version with install scripts (which scripts,
 * and did the previous version have them), a strict-tier package, or a version missing from
 * the abbreviated document (confirm against a fresh copy before calling it unpublished).
 */
export async function gatherFacts(packages: LockedPackage[], options: GatherOptions): Promise<RegistryFacts> {
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
      for (const entry of await factsForName(name, locked, options)) facts.packages.set(entry.id, entry);
      options.onProgress?.(++done, total);
    }),
  ).catch((error: unknown) => {
    options.client.abort();
    throw error;
  });
  facts.errors.push(...errorsOf(facts.packages, options.client));
  return facts;
}

async function factsForName(name: string, locked: LockedPackage[], options: GatherOptions): Promise<PackageFacts[]> {
  // offline, what the facts cache cannot answer may still be in npm's own cache (e.g. after `npm install`)
  return (options.factsCache && (await cachedFactsForName(name, locked, options, options.factsCache))) ?? factsViaHttpCache(name, locked, options);
}

async function factsViaHttpCache(name: string, locked: LockedPackage[], options: GatherOptions): Promise<PackageFacts[]> {
  let abbreviated: Fetched<Doc>;
  try {
    abbreviated = await options.client.packument(name, 'abbreviated');
  } catch (error) {
    return locked.map((pkg) => failed(pkg, fetchFailure(error, name, options.client)));
  }
  const needsFull = locked.some((pkg) => needsFullDocument(abbreviated.body, pkg.version, name, options));
  if (!needsFull) return locked.map((pkg) => factsFrom(pkg, abbreviated.body, false));
  const missing = locked.some((pkg) => !isRecord(versionsOf(abbreviated.body)[pkg.version]));
  try {
    const full = await options.client.packument(name, 'full', { fresh: missing && abbreviated.cache === 'hit' });
    return locked.map((pkg) => factsFrom(pkg, full.body, true));
  } catch (error) {
    const failure = fetchFailure(error, name, options.client);
    return locked.map((pkg) => ({ ...factsFrom(pkg, abbreviated.body, false), status: failure.status, error: `full document: ${failure.message}` }));
  }
}

function needsFullDocument(doc: Doc, version: string, name: string, options: GatherOptions): boolean {
  const manifest = versionsOf(doc)[version];
  if (!isRecord(manifest) || manifest.hasInstallScript === true || options.wantsFullDocument(name)) return true;
  if (publishTime(doc, version)) return false;
  const modified = typeof doc.modified === 'string' ? Date.parse(doc.modified) : NaN;
  // nothing in the document changed since before the window opened, so no version is inside it
  return Number.isNaN(modified) || modified > options.now.getTime() - options.windowFor(name);
}

function factsFrom(pkg: LockedPackage, doc: Doc, full: boolean): PackageFacts {
  const locked = versionFacts(doc, pkg.version, full);
  const earlier = locked ? earlierVersions(doc, pkg.version).flatMap((version) => versionFacts(doc, version, full) ?? []) : [];
  const status: FactsStatus = locked ? 'ok' : 'version-not-found';
  const distTags = isRecord(doc['dist-tags']) ? doc['dist-tags'] : {};
  return {
    id: pkg.id,
    name: pkg.name,
    version: pkg.version,
    status,
    error: null,
    locked,
    previous: earlier[0] ?? null,
    earlier,
    document: full ? 'full' : 'abbreviated',
    modified: typeof doc.modified === 'string' ? doc.modified : isRecord(doc.time) && typeof doc.time.modified === 'string' ? doc.time.modified : null,
    latest: typeof distTags.latest === 'string' ? distTags.latest : null,
  };
}

function notApplicable(pkg: LockedPackage): PackageFacts {
  return { ...failed(pkg, { status: 'not-applicable', message: '' }), error: null };
}

function errorsOf(packages: Map<string, PackageFacts>, client: RegistryClient): ReportError[] {
  const errors: ReportError[] = [];
  const notCached: PackageFacts[] = [];
  for (const facts of packages.values()) {
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
      message: `--offline: ${notCached.length} of ${packages.size} packages are not in npm's cache (${String(client.config.flat.cache ?? 'cache')}), so their registry facts are unknown: ${named}${more}.`,
    });
  }
  return errors;
}

