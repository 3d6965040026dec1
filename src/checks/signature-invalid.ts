import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/** The registry's ECDSA signature over name@version:integrity proves the registry served exactly these bytes. */
export const signatureInvalid: Check<'signature-invalid'> = {
  id: 'signature-invalid',
  severity: 'critical',
  description: 'The registry signature over name@version:integrity does not verify.',
  help: 'The registry signature over name@version:integrity does not verify: the metadata or tarball is not what the registry signed. Do not install; report it to the registry.',
  run(context) {
    return withProvenance(context)
      .filter(({ result }) => result.signature.status === 'invalid')
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: signatureInvalid.id,
          severity: signatureInvalid.severity,
          message: `The registry signature of ${pkg.name}@${pkg.version} does not verify: ${result.signature.reason ?? 'bad signature'}.`,
          remediation: `Do not install ${pkg.name}@${pkg.version} until the mismatch is explained; compare the lockfile integrity with the registry and reinstall from a trusted registry.`,
          evidence: { keyid: result.signature.keyid, integrity: result.signature.integrity, reason: result.signature.reason },
        }),
      );
  },
};
