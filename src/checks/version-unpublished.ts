import type { Finding } from '../model/finding.js';
import { registrySubjects } from './registry-subjects.js';
import type { Check } from './types.js';

/**
 * A locked version the registry no longer has is, more often than not, a removed malicious release.
 * Removed means the registry's `time` still records it; one it never listed is version-not-listed.
 */
export const versionUnpublished: Check<'version-unpublished'> = {
  id: 'version-unpublished',
  severity: 'critical',
  description: 'The locked version was published and then removed from the registry (often a removed malicious release).',
  help: 'The registry recorded the locked version\'s publication but no longer serves it; removed versions are often malicious releases taken down. Move to a published version and check the machines that installed this one.',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, base } of registrySubjects(context)) {
      if (facts.status === 'version-not-found' && facts.removed === true) {
        const latest = facts.latest ? ` (latest is ${facts.latest})` : '';
        findings.push({
          ruleId: versionUnpublished.id,
          severity: versionUnpublished.severity,
          ...base,
          message: `${pkg.name}@${pkg.version} is locked but was removed from the registry after it was published${latest}: removed releases are often malicious ones.`,
          remediation: `Check whether ${pkg.name}@${pkg.version} was installed anywhere (CI caches, node_modules, images) and rotate secrets it could reach if it was malicious; then lock a published version${facts.previous ? ` such as ${facts.previous.version}` : ''}.`,
          evidence: { status: facts.status, removed: true, latest: facts.latest ?? null, previousVersion: facts.previous?.version ?? null, modified: facts.modified ?? null },
        });
      } else if (facts.status === 'package-not-found') {
        findings.push({
          ruleId: versionUnpublished.id,
          severity: 'high',
          ...base,
          message: `The registry has no package ${pkg.name} at all: it was removed (often for malware), or it lives on a registry or behind credentials this npm configuration does not have.`,
          remediation: `Find out where ${pkg.name} came from; if it was removed, take it out of the tree and check every machine that installed it. If it is private, configure its registry (@scope:registry) and auth in .npmrc.`,
          evidence: { status: facts.status, error: facts.error },
        });
      }
    }
    return findings;
  },
};
