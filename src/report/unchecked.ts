import type { ProvenanceFacts } from '../provenance/model.js';
import type { RegistryFacts } from '../registry/facts/model.js';
import type { Inventory } from '../inventory/model.js';

export type UncheckedWhat = 'registry-facts' | 'signatures' | 'provenance';

/** What went unchecked for how many registry packages, and why (the commonest reasons first). */
export interface Unchecked {
  check: UncheckedWhat;
  packages: number;
  reasons: Array<{ reason: string; packages: number }>;
}

const REASONS_KEPT = 3;
// the not-found statuses are findings of their own (version-unpublished, version-not-listed): not "unchecked"
const JUDGED = new Set(['ok', 'not-applicable', 'version-not-found', 'package-not-found']);

/**
 * Counts the registry packages whose facts, registry signature or provenance could not be
 * established, so that a pass is never read as "all verified" when nothing was.
 */
export function uncheckedOf(inventory: Inventory, facts: RegistryFacts | undefined, provenance: ProvenanceFacts | undefined): Unchecked[] {
  const tallies: Record<UncheckedWhat, Map<string, number>> = { 'registry-facts': new Map(), signatures: new Map(), provenance: new Map() };
  const count = (what: UncheckedWhat, reason: string) => tallies[what].set(reason, (tallies[what].get(reason) ?? 0) + 1);
  for (const pkg of inventory.packages) {
    if (pkg.source !== 'registry' || pkg.bundled) continue;
    const entry = facts?.packages.get(pkg.id);
    if (!entry) count('registry-facts', 'the registry stage did not run');
    else if (!JUDGED.has(entry.status)) count('registry-facts', reasonOfStatus(entry.status));
    const checked = provenance?.packages.get(pkg.id);
    if (!checked || checked.signature.status === 'unknown') count('signatures', checked ? general(checked.signature.reason ?? 'not established') : 'the provenance stage did not run');
    if (!checked || checked.provenance === 'unknown') count('provenance', checked ? general(checked.reason ?? 'not established') : 'the provenance stage did not run');
  }
  return (Object.keys(tallies) as UncheckedWhat[]).flatMap((check) => {
    const reasons = [...tallies[check]].map(([reason, packages]) => ({ reason, packages })).sort((a, b) => b.packages - a.packages || a.reason.localeCompare(b.reason));
    const packages = reasons.reduce((sum, entry) => sum + entry.packages, 0);
    return packages === 0 ? [] : [{ check, packages, reasons: reasons.slice(0, REASONS_KEPT) }];
  });
}

function reasonOfStatus(status: string): string {
  switch (status) {
    case 'not-cached':
      return 'not in the cache (--offline)';
    case 'error':
      return 'the registry document could not be fetched or read';
    default:
      return status;
  }
}

/** Per-package detail (an error message, a URL) would split one cause into many: keep the cause. */
function general(reason: string): string {
  return reason.replace(/ \((?:error|not-cached)[^)]*\)$/, (match) => (match.startsWith(' (not-cached') ? ' (not in the cache, --offline)' : ' (fetch failed)')).slice(0, 200);
}
