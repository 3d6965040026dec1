import type { Inventory } from '../inventory/model.js';
import type { Finding, Location } from './model.js';

/**
 * Fills in where a check left the location open, so every finding can point at a real file:
 * the package.json line declaring a direct dependency, else the lockfile entry of the locked
 * version, else the lockfile or package.json itself.
 */
export function locateFinding(finding: Finding, inventory: Inventory): Location | null {
  const known = finding.location;
  if (known && known.line !== null) return known;
  const found = packageLocation(finding, inventory) ?? fallbackLocation(inventory);
  if (!known) return found;
  return found.file === known.file ? found : known;
}

function packageLocation(finding: Finding, inventory: Inventory): Location | null {
  const pkg = finding.package;
  if (!pkg) return null;
  for (const importer of inventory.importers) {
    const dep = importer.declared.find(
      (candidate) => candidate.line !== null && (candidate.locked?.name ?? candidate.name) === pkg.name && (pkg.version === null || candidate.locked?.version === pkg.version || candidate.locked === null),
    );
    if (dep && dep.line !== null) return { file: dep.file, line: dep.line };
  }
  const locked = inventory.packages.find((candidate) => candidate.name === pkg.name && (pkg.version === null || candidate.version === pkg.version));
  if (locked && inventory.lockfile) return { file: inventory.lockfile.file, line: locked.lockfileLine };
  return null;
}

function fallbackLocation(inventory: Inventory): Location {
  return inventory.lockfile ? { file: inventory.lockfile.file, line: null } : { file: 'package.json', line: null };
}
