import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/** An attestation that fails verification or is about other bytes is a forgery until proven otherwise. */
export const provenanceInvalid: Check<'provenance-invalid'> = {
  id: 'provenance-invalid',
  severity: 'critical',
  description: 'An attestation bundle fails Sigstore verification or names another subject.',
  help: 'An attestation bundle fails Sigstore verification or names another package: treat the version as tampered with. Do not install it.',
  run(context) {
    return withProvenance(context)
      .filter(({ result }) => result.provenance === 'invalid')
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: provenanceInvalid.id,
          severity: provenanceInvalid.severity,
          message: `The attestations of ${pkg.name}@${pkg.version} do not verify: ${result.problems.join('; ')}.`,
          remediation: `Treat ${pkg.name}@${pkg.version} as tampered: do not install it, compare with a known-good copy and report it to the registry and the maintainers.`,
          evidence: { problems: result.problems, predicateTypes: result.predicateTypes },
        }),
      );
  },
};
