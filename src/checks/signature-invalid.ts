import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/** The registry's ECDSA signature over name@version:integrity proves the registry served exactly these bytes. */
export const signatureInvalid: Check = {
  id: 'signature-invalid',
  run(context) {
    return withProvenance(context)
      .filter(({ result }) => result.signature.status === 'invalid')
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: 'signature-invalid',
          severity: 'critical',
          message: `The registry signature of ${pkg.name}@${pkg.version} does not verify: ${result.signature.reason ?? 'bad signature'}.`,
          remediation: `Do not install ${pkg.name}@${pkg.version} until the mismatch is explained; compare the lockfile integrity with the registry and reinstall from a trusted registry.`,
          evidence: { keyid: result.signature.keyid, integrity: result.signature.integrity, reason: result.signature.reason },
        }),
      );
  },
};
