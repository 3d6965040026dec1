import compare from 'semver/functions/compare.js';
import validVersion from 'semver/functions/valid.js';
import type { ReportPackage } from '../model.js';
import type { DiffPackage, DiffPackageChange, PackageChangeKind, ReportDiff } from './model.js';

/**
 * Packages added, removed and changed between two lockfiles. A name locked at one version on
 * each side is a change of version; where a name has several versions, the ones both sides lock
 * are kept, and the rest are paired highest with highest (the usual shape of a bump of one copy).
 */
export function diffPackages(base: ReportPackage[], head: ReportPackage[]): ReportDiff['packages'] {
  const added: DiffPackage[] = [];
  const removed: DiffPackage[] = [];
  const changed: DiffPackageChange[] = [];
  const baseByName = byName(base);
  const headByName = byName(head);
  for (const name of [...new Set([...baseByName.keys(), ...headByName.keys()])].sort()) {
    const before = baseByName.get(name) ?? [];
    const after = headByName.get(name) ?? [];
    const unmatchedBefore: DiffPackage[] = [];
    const remaining = [...after];
    for (const pkg of before) {
      const same = remaining.findIndex((other) => other.version === pkg.version && other.source === pkg.source);
      if (same < 0) {
        unmatchedBefore.push(pkg);
        continue;
      }
      const [other] = remaining.splice(same, 1);
      if (other) pushChange(changed, pkg, other);
    }
    const olderFirst = (a: DiffPackage, b: DiffPackage) => compareVersions(a.version, b.version);
    unmatchedBefore.sort(olderFirst);
    remaining.sort(olderFirst);
    while (unmatchedBefore.length > 0 && remaining.length > 0) {
      pushChange(changed, unmatchedBefore.pop() as DiffPackage, remaining.pop() as DiffPackage);
    }
    removed.push(...unmatchedBefore);
    added.push(...remaining);
  }
  return { added, removed, changed };
}

function pushChange(changed: DiffPackageChange[], from: DiffPackage, to: DiffPackage): void {
  const kinds: PackageChangeKind[] = [];
  if (from.version !== to.version) kinds.push('version');
  if (from.source !== to.source) kinds.push('source');
  if (from.host !== to.host) kinds.push('host');
  // a new version has a new hash; the same version with another hash is a republished or swapped tarball
  if (from.version === to.version && from.source === to.source && from.integrity !== to.integrity) kinds.push('integrity');
  if (kinds.length > 0) changed.push({ name: to.name, from, to, changed: kinds });
}

function byName(packages: ReportPackage[]): Map<string, DiffPackage[]> {
  const out = new Map<string, DiffPackage[]>();
  for (const pkg of packages) {
    const list = out.get(pkg.name) ?? [];
    list.push(diffPackageOf(pkg));
    out.set(pkg.name, list);
  }
  return out;
}

export function diffPackageOf(pkg: ReportPackage): DiffPackage {
  return { name: pkg.name, version: pkg.version, source: pkg.source, host: hostOf(pkg.resolved), integrity: pkg.integrity, direct: pkg.direct, dev: pkg.dev };
}

/** The host of a resolved URL (credentials and path dropped); scp-like git URLs (`git@host:path`) too. */
function hostOf(resolved: string | null): string | null {
  if (!resolved) return null;
  try {
    return new URL(resolved).host || null;
  } catch {
    return /^[\w.-]+@([\w.-]+):/.exec(resolved)?.[1] ?? null;
  }
}

function compareVersions(a: string, b: string): number {
  const va = validVersion(a);
  const vb = validVersion(b);
  if (va && vb) return compare(va, vb);
  if (va) return 1;
  if (vb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
