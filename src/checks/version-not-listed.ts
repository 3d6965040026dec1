import type { Finding } from '../model/finding.js';
import { pythonFindingsOf } from './python-findings.js';
import { registrySubjects } from './registry-subjects.js';
import type { Check } from './types.js';

/**
 * A locked version the registry has no record of at all (no `versions` entry, no `time` entry)
 * was never published there: a mirror that lags or filters, or a copy from a private registry.
 * That is not a removed release, but it is not a pass either: nothing about the version was
 * checked. On a Python index it is also what a removed release looks like: PyPI deletes a
 * malicious release instead of marking it. Distinct from version-unpublished, where the npm
 * registry still records the version.
 */
export const versionNotListed: Check<'version-not-listed'> = {
  id: 'version-not-listed',
  severity: 'high',
  description: 'The registry or Python index has no record of the locked version: never published there (a mirror gap, a private copy), or deleted from a Python index.',
  help: 'The configured registry does not list the locked version and its publish times do not mention it, so it was never published there: a mirror that lags behind or filters versions, or a package copied from a private registry. A Python index also loses a release this way when it is deleted (as malicious releases are). Check which registry or index the lockfile was written against (`resolved` URLs, `.npmrc`, scoped registries, pip and uv configuration) and audit against that one; until then nothing about this version was checked.',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, base } of registrySubjects(context)) {
      if (facts.status !== 'version-not-found' || facts.removed === true) continue;
      // a bundled copy ships inside its parent's tarball; the registry need not have it
      if (pkg.bundled) continue;
      const latest = facts.latest ? ` (its latest is ${facts.latest})` : '';
      const whether = facts.removed === null ? ' Whether it was ever published there is unknown: its full document could not be read.' : '';
      findings.push({
        ruleId: versionNotListed.id,
        severity: versionNotListed.severity,
        ...base,
        message: `${pkg.name}@${pkg.version} is not on this registry: the registry lists ${pkg.name}${latest} but has no record of ${pkg.version}, so nothing about it was checked.${whether}`,
        remediation: `Check the registry configuration: audit against the registry the lockfile was written from (${pkg.resolved ? `it records ${pkg.resolved}` : 'see .npmrc and scoped registries'}), or bring the mirror up to date; if no registry publishes ${pkg.version}, find out where the lockfile got it.`,
        evidence: { status: facts.status, removed: facts.removed ?? null, latest: facts.latest ?? null, resolved: pkg.resolved, modified: facts.modified ?? null },
      });
    }
    return [...findings, ...pythonFindingsOf('version-not-listed', context)];
  },
};
