import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/**
 * The registry publishes signing keys, yet this version carries no signature: npm's
 * `audit signatures` fails it, because a signature stripped on the way looks exactly like this.
 */
export const signatureMissing: Check<'signature-missing'> = {
  id: 'signature-missing',
  severity: 'high',
  description: 'The registry publishes signing keys, but the locked version carries no signature.',
  help: 'The registry publishes signing keys, yet the locked version has no dist.signatures: the signature may have been stripped by a proxy or a tampered mirror. `npm audit signatures` fails such a version; install it only once the registry serves its signature.',
  run(context) {
    return withProvenance(context)
      .filter(({ result }) => result.signature.status === 'missing')
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: signatureMissing.id,
          severity: signatureMissing.severity,
          message: `${pkg.name}@${pkg.version} carries no registry signature although the registry publishes signing keys.`,
          remediation: `Check that the registry (or a proxy in front of it) does not strip dist.signatures; do not install ${pkg.name}@${pkg.version} from it until \`npm audit signatures\` passes.`,
          evidence: { keyid: null, integrity: result.signature.integrity, reason: result.signature.reason },
        }),
      );
  },
};
