import type { AiTier } from '../model/tier.js';
import type { LockedPackage } from '../inventory/model.js';
import type { PackageProvenance } from '../provenance/model.js';
import type { Finding } from '../model/finding.js';
import type { CheckContext } from './types.js';

/** Each locked package with what the provenance stage found for it (none when the stage did not run). */
export function withProvenance(context: CheckContext): { pkg: LockedPackage; result: PackageProvenance; tier: AiTier | null }[] {
  const stage = context.provenance;
  if (!stage) return [];
  return context.inventory.packages.flatMap((pkg) => {
    const result = stage.packages.get(pkg.id);
    return result ? [{ pkg, result, tier: context.tierOf(pkg.name) }] : [];
  });
}

export function packageFinding(pkg: LockedPackage, tier: AiTier | null, finding: Pick<Finding, 'ruleId' | 'severity' | 'message' | 'remediation' | 'evidence'>): Finding {
  return { ...finding, package: { name: pkg.name, version: pkg.version }, location: null, paths: pkg.paths, aiTier: tier };
}
