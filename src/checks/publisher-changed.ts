import type { Finding } from '../model/finding.js';
import { registrySubjects } from './registry-subjects.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

/** Hijacked releases are published from a stolen or newly added account, not the usual one. */
export const publisherChanged: Check<'publisher-changed'> = {
  id: 'publisher-changed',
  severity: 'medium',
  description: 'This version was published by an account that published none of the recent earlier versions.',
  help: 'The version was published by an account that published none of the recent earlier versions. Check the package repository for a legitimate maintainer change before adopting it.',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, tier, base } of registrySubjects(context)) {
      const publisher = facts.status === 'ok' ? facts.locked?.publisher : null;
      if (!publisher) continue;
      const earlier = facts.earlier.filter((version) => version.publisher !== null);
      const usual = [...new Set(earlier.map((version) => version.publisher as string))];
      if (usual.length === 0 || usual.includes(publisher)) continue;
      findings.push({
        ruleId: publisherChanged.id,
        severity: severityForTier(tier, { strict: 'high', ai: 'medium', other: 'medium' }),
        ...base,
        message: `${pkg.name}@${pkg.version} was published by "${publisher}", who published none of the ${earlier.length} versions before it (${earlier.map((version) => version.version).join(', ')}: ${usual.join(', ')}).`,
        remediation: `Confirm with the project (release notes, repository, maintainers list) that "${publisher}" is a legitimate maintainer before trusting this version; meanwhile pin ${pkg.name} to ${earlier[0]?.version ?? 'an earlier version'}.`,
        evidence: { publisher, earlierPublishers: usual, earlierVersions: earlier.map((version) => version.version) },
      });
    }
    return findings;
  },
};
