import type { Inventory } from '../../inventory/model.js';
import type { ReportError } from '../../model/report-error.js';
import type { RegistryFacts } from './model.js';

/**
 * A locked version whose registry manifest has no `dist` (or a `dist` without integrity or
 * shasum) cannot be compared with the lockfile: that is an error of the run, not a silent skip of
 * `lockfile-integrity-mismatch`.
 */
export function unverifiableIntegrity(inventory: Inventory, facts: RegistryFacts): ReportError[] {
  const errors: ReportError[] = [];
  for (const pkg of inventory.packages) {
    const entry = facts.packages.get(pkg.id);
    if (entry?.status !== 'ok' || !entry.locked) continue;
    if (entry.locked.integrity || entry.locked.shasum) continue;
    const what = entry.locked.tarball ? 'a dist without integrity or shasum' : 'no dist';
    errors.push({
      scope: pkg.id,
      package: { name: pkg.name, version: pkg.version },
      message: `The registry's manifest of ${pkg.name}@${pkg.version} has ${what}, so the lockfile integrity cannot be compared with what the registry serves.`,
    });
  }
  return errors;
}
