import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/**
 * A version published without the provenance its predecessors carried was most likely published
 * outside the usual CI pipeline — the pattern of hijacked-account releases.
 */
export const provenanceRegression: Check = {
  id: 'provenance-regression',
  run(context) {
    return withProvenance(context)
      .filter(({ result }) => result.provenance === 'missing' && result.earlierWithProvenance.length > 0)
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: 'provenance-regression',
          severity: 'high',
          message: `${pkg.name}@${pkg.version} has no provenance, but earlier versions (${result.earlierWithProvenance.join(', ')}) were published with it.`,
          remediation: `Stay on ${pkg.name}@${result.earlierWithProvenance[0]} until the maintainers confirm how ${pkg.version} was published.`,
          evidence: { earlierWithProvenance: result.earlierWithProvenance, reason: result.reason },
        }),
      );
  },
};
