import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/**
 * A version published without the provenance its predecessors carried was most likely published
 * outside the usual CI pipeline — the pattern of hijacked-account releases.
 */
export const provenanceRegression: Check<'provenance-regression'> = {
  id: 'provenance-regression',
  severity: 'high',
  description: 'Earlier versions had provenance attestations; the locked one does not.',
  help: 'Earlier versions were published with provenance by a CI pipeline; this one was not, as when a release is pushed from a stolen token. Verify the release with the maintainers or stay on the previous version.',
  run(context) {
    return withProvenance(context)
      .filter(({ result }) => result.provenance === 'missing' && result.earlierWithProvenance.length > 0)
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: provenanceRegression.id,
          severity: provenanceRegression.severity,
          message: `${pkg.name}@${pkg.version} has no provenance, but earlier versions (${result.earlierWithProvenance.join(', ')}) were published with it.`,
          remediation: `Stay on ${pkg.name}@${result.earlierWithProvenance[0]} until the maintainers confirm how ${pkg.version} was published.`,
          evidence: { earlierWithProvenance: result.earlierWithProvenance, reason: result.reason },
        }),
      );
  },
};
