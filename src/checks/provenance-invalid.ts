import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/** An attestation that fails verification or is about other bytes is a forgery until proven otherwise. */
export const provenanceInvalid: Check = {
  id: 'provenance-invalid',
  run(context) {
    return withProvenance(context)
      .filter(({ result }) => result.provenance === 'invalid')
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: 'provenance-invalid',
          severity: 'critical',
          message: `The attestations of ${pkg.name}@${pkg.version} do not verify: ${result.problems.join('; ')}.`,
          remediation: `Treat ${pkg.name}@${pkg.version} as tampered: do not install it, compare with a known-good copy and report it to the registry and the maintainers.`,
          evidence: { problems: result.problems, predicateTypes: result.predicateTypes },
        }),
      );
  },
};
