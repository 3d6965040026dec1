import type { Finding } from '../model/finding.js';
import { registrySubjects } from './registry-subjects.js';
import type { Check } from './types.js';

/**
 * The lockfile pins the bytes that were installed; if the registry now publishes other bytes
 * for the same version, either the lockfile was edited or the tarball was swapped.
 */
export const lockfileIntegrityMismatch: Check<'lockfile-integrity-mismatch'> = {
  id: 'lockfile-integrity-mismatch',
  severity: 'critical',
  description: 'The locked integrity differs from what the registry publishes for that version.',
  help: 'The integrity in the lockfile differs from what the registry publishes for that version: the tarball was replaced or the lockfile was edited. Do not install; find out which side changed before regenerating the entry.',
  run(context) {
    const findings: Finding[] = [];
    const lockfile = context.inventory.lockfile?.file ?? 'the lockfile';
    for (const { pkg, facts, base } of registrySubjects(context)) {
      if (facts.status !== 'ok' || !facts.locked || !pkg.integrity) continue;
      const published = publishedHashes(facts.locked.integrity, facts.locked.shasum ?? null);
      const locked = parseIntegrity(pkg.integrity);
      const compared = [...locked.keys()].filter((algorithm) => published.has(algorithm));
      const differing = compared.filter((algorithm) => !sameDigests(locked.get(algorithm), published.get(algorithm)));
      const algorithm = differing[0];
      if (!algorithm) continue;
      // the same algorithm on both sides: a sha1-only lockfile is compared with dist.shasum, not with the sha512
      const lockedHash = `${algorithm}-${first(locked.get(algorithm))}`;
      const publishedHash = `${algorithm}-${first(published.get(algorithm))}`;
      findings.push({
        ruleId: lockfileIntegrityMismatch.id,
        severity: lockfileIntegrityMismatch.severity,
        ...base,
        message: `${lockfile} locks ${pkg.name}@${pkg.version} with ${short(lockedHash)}, but the registry publishes ${short(publishedHash)} for that version: the tarball was swapped or the lockfile entry was edited.`,
        remediation: `Do not install from this lockfile until you know which is right: compare the entry with its git history, and if the lockfile is genuine, treat the registry tarball as tampered and report it.`,
        evidence: { lockedIntegrity: pkg.integrity, registryIntegrity: facts.locked.integrity, registryShasum: facts.locked.shasum ?? null, algorithms: differing },
      });
    }
    return findings;
  },
};

function parseIntegrity(text: string | null): Map<string, Set<string>> {
  const hashes = new Map<string, Set<string>>();
  for (const token of (text ?? '').split(/\s+/)) {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)/.exec(token);
    if (!match?.[1] || !match[2]) continue;
    hashes.set(match[1], (hashes.get(match[1]) ?? new Set()).add(match[2]));
  }
  return hashes;
}

function publishedHashes(integrity: string | null, shasum: string | null): Map<string, Set<string>> {
  const hashes = parseIntegrity(integrity);
  if (shasum && /^[0-9a-f]{40}$/i.test(shasum) && !hashes.has('sha1')) hashes.set('sha1', new Set([Buffer.from(shasum, 'hex').toString('base64')]));
  return hashes;
}

function sameDigests(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  return !!a && !!b && [...a].some((digest) => b.has(digest));
}

function first(digests: Set<string> | undefined): string {
  return [...(digests ?? [])][0] ?? '';
}

function short(hash: string): string {
  return hash.length > 24 ? `${hash.slice(0, 20)}…` : hash;
}
