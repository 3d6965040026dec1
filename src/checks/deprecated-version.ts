import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import { registrySubjects } from './registry-subjects.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

// registries deprecate compromised releases with messages like these
const SECURITY_WORDS = /\b((?:in)?secur\w*|vulnerab\w*|malicious|malware|compromis\w*|hijack\w*|CVE-\d+)/i;

/** A deprecation is the maintainer telling users to move: sometimes because the version is dangerous. */
export const deprecatedVersion: Check<'deprecated-version'> = {
  id: 'deprecated-version',
  severity: 'low',
  description: 'The registry marks the locked version deprecated.',
  help: 'The publisher marks this version deprecated; the deprecation message usually names the version to move to.',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, tier, base } of registrySubjects(context)) {
      const deprecated = facts.status === 'ok' ? facts.locked?.deprecated : null;
      if (!deprecated) continue;
      const security = SECURITY_WORDS.test(deprecated);
      const severity: Severity = security ? 'high' : severityForTier(tier, { strict: 'medium', ai: 'low', other: 'low' });
      findings.push({
        ruleId: deprecatedVersion.id,
        severity,
        ...base,
        message: `${pkg.name}@${pkg.version} is deprecated: "${deprecated.trim()}"${security ? ' — the message points at a security problem' : ''}.`,
        remediation: `Move to a version that is not deprecated${facts.latest && facts.latest !== pkg.version ? ` (latest is ${facts.latest})` : ''}, or replace the package as the message suggests.`,
        evidence: { deprecated, securityRelated: security, latest: facts.latest ?? null },
      });
    }
    return findings;
  },
};
