import type { Check, CheckContext } from '../../src/checks/types.js';
import type { LockedPackage } from '../../src/inventory/model.js';
import type { Policy } from '../../src/policy/policy.js';
import type { ProjectCooldown } from '../../src/policy/cooldown.js';
import type { PackageFacts, RegistryFacts, VersionFacts } from '../../src/registry/facts/model.js';
import type { Finding } from '../../src/report/model.js';
import { context, inventory, lockedPackage } from './inventory.js';

/** The evaluation time of `context()`: every age in the registry check tests is relative to it. */
export const NOW = new Date('2026-11-23T12:00:00Z');

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** An ISO time `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

export const hours = (n: number): number => n * HOUR_MS;
export const days = (n: number): number => n * DAY_MS;

/** What the full document says about one version: published a year ago, no scripts, no deprecation. */
export function versionFacts(version: string, overrides: Partial<VersionFacts> = {}): VersionFacts {
  return {
    version,
    publishedAt: ago(days(365)),
    integrity: 'sha512-AAAA',
    tarball: `https://registry.example.test/pkg/-/pkg-${version}.tgz`,
    deprecated: null,
    installScripts: {},
    publisher: 'maintainer',
    repository: null,
    signatures: [],
    attestations: null,
    shasum: null,
    ...overrides,
  };
}

export interface FactsOverrides extends Partial<Omit<PackageFacts, 'locked' | 'previous' | 'earlier'>> {
  /** Overrides of the locked version's facts, or null for none at all. */
  locked?: Partial<VersionFacts> | null;
  /** Versions published before the locked one, newest first; `previous` is the first. */
  earlier?: VersionFacts[];
}

/** Facts read from the full document for `name@version`, status ok. */
export function packageFacts(name: string, version: string, overrides: FactsOverrides = {}): PackageFacts {
  const { locked, earlier = [], ...rest } = overrides;
  return {
    id: `${name}@${version}`,
    name,
    version,
    status: 'ok',
    error: null,
    locked: locked === null ? null : versionFacts(version, locked),
    previous: earlier[0] ?? null,
    earlier,
    document: 'full',
    modified: ago(days(365)),
    latest: version,
    ...rest,
  };
}

/** Facts for a package the registry stage could not describe (not found, failed, offline, not a registry package). */
export function failedFacts(name: string, version: string, status: PackageFacts['status'], error: string | null): PackageFacts {
  return packageFacts(name, version, { status, error, locked: null, document: null, modified: null, latest: null });
}

export interface Subject {
  pkg?: Partial<LockedPackage>;
  facts: PackageFacts;
}

export interface RunOptions {
  policy?: Partial<Policy>;
  cooldown?: ProjectCooldown | null;
}

/** Runs a check over locked packages, each with its registry facts, as the pipeline would. */
export function runCheck(check: Check, subjects: Subject[], options: RunOptions = {}): Finding[] {
  const packages = subjects.map(({ pkg, facts }) => lockedPackage({ name: facts.name, version: facts.version, ...pkg }));
  const registry: RegistryFacts = { packages: new Map(subjects.map(({ facts }) => [facts.id, facts])), keys: new Map(), errors: [] };
  const ctx: CheckContext = { ...context(inventory({ packages }), options.policy), now: NOW, facts: registry, cooldown: options.cooldown ?? null };
  return check.run(ctx);
}
