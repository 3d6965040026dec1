import type { AiTier } from '../model/tier.js';
import type { LockedPackage } from '../inventory/model.js';
import type { PackageFacts, VersionFacts } from '../registry/facts/model.js';
import type { Finding } from '../model/finding.js';
import type { CheckContext } from './types.js';

export interface RegistrySubject {
  pkg: LockedPackage;
  facts: PackageFacts;
  tier: AiTier | null;
  /** The finding fields every registry check fills the same way. */
  base: Pick<Finding, 'package' | 'location' | 'paths' | 'aiTier'>;
}

/** Locked packages with registry facts, whatever their status (each check picks the statuses it can judge). */
export function registrySubjects(context: CheckContext): RegistrySubject[] {
  const { facts, inventory, tierOf } = context;
  if (!facts) return [];
  const subjects: RegistrySubject[] = [];
  for (const pkg of inventory.packages) {
    const entry = facts.packages.get(pkg.id);
    if (!entry) continue;
    const tier = tierOf(pkg.name);
    const location = inventory.lockfile ? { file: inventory.lockfile.file, line: pkg.lockfileLine } : null;
    subjects.push({ pkg, facts: entry, tier, base: { package: { name: pkg.name, version: pkg.version }, location, paths: pkg.paths, aiTier: tier } });
  }
  return subjects;
}

/** Install scripts of the locked version that the previous version did not have; null when either is unknown. */
export function addedInstallScripts(facts: PackageFacts): Record<string, string> | null {
  const locked = facts.locked?.installScripts;
  const previous = facts.previous?.installScripts;
  if (!locked || !previous) return null;
  // a command moved to another hook (@sentry/cli 1.77.3: postinstall → install, the same script) is not a new one
  const ranBefore = new Set(Object.values(previous).map(sameCommand));
  return Object.fromEntries(Object.entries(locked).filter(([name, command]) => previous[name] === undefined && !ranBefore.has(sameCommand(command))));
}

function sameCommand(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

export function spec(facts: Pick<PackageFacts, 'name'>, version: VersionFacts | string): string {
  return `${facts.name}@${typeof version === 'string' ? version : version.version}`;
}
