import type { Finding } from '../model/finding.js';
import { installCommand } from './package-manager.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

/** Without a strong hash nothing stops a swapped tarball: sha1 collisions are practical. */
export const lockfileIntegrityMissing: Check<'lockfile-integrity-missing'> = {
  id: 'lockfile-integrity-missing',
  severity: 'medium',
  description: 'A locked registry package has no integrity hash, or only a sha1 one.',
  help: 'A locked package without a sha512 integrity hash is installed without checking its content. Regenerate the lockfile with a current package manager so every entry carries an integrity hash.',
  run({ inventory, tierOf }) {
    if (!inventory.lockfile) return [];
    const lockfile = inventory.lockfile.file;
    const findings: Finding[] = [];
    for (const pkg of inventory.packages) {
      if (pkg.source !== 'registry' && pkg.source !== 'remote' && pkg.source !== 'file') continue;
      // yarn berry hashes its own zip archive instead: hashed, but not comparable with the registry (see notices)
      if (pkg.checksum) continue;
      // a bundled dependency comes inside its parent's tarball, which the parent's integrity covers
      if (pkg.bundled) continue;
      const algorithms = (pkg.integrity ?? '').split(/\s+/).filter(Boolean).map((hash) => hash.split('-')[0]);
      const strong = algorithms.some((algorithm) => algorithm === 'sha512' || algorithm === 'sha384' || algorithm === 'sha256');
      if (strong) continue;
      const tier = tierOf(pkg.name);
      const only = algorithms.length > 0 ? `only a weak ${algorithms.join(', ')} hash` : 'no integrity hash';
      findings.push({
        ruleId: lockfileIntegrityMissing.id,
        severity: severityForTier(tier, { strict: 'high', ai: 'medium', other: 'medium' }),
        package: { name: pkg.name, version: pkg.version },
        message: `${lockfile} records ${only} for ${pkg.name}@${pkg.version}, so a swapped tarball would install unnoticed.`,
        remediation: `Regenerate the entry (delete it and run ${installCommand(inventory.lockfile.format)}) so the lockfile records a sha512 integrity, then commit it.`,
        evidence: { integrity: pkg.integrity, algorithms },
        location: { file: lockfile, line: pkg.lockfileLine },
        paths: pkg.paths,
        aiTier: tier,
      });
    }
    return findings;
  },
};
