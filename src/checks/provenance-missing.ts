import { isStrictTier, tierLabel } from '../model/tier.js';
import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/** AI gateways and AI cost tools hold provider keys and see every prompt: they should say where they were built. */
export const provenanceMissing: Check<'provenance-missing'> = {
  id: 'provenance-missing',
  severity: 'medium',
  description: 'The locked version has no provenance attestation.',
  help: 'The version has no provenance attestation, so nothing ties it to a source commit and a build. Prefer versions published with provenance, and ask the maintainers to publish with it.',
  run(context) {
    const { policy } = context;
    return withProvenance(context)
      .filter(({ result }) => result.provenance === 'missing' && result.earlierWithProvenance.length === 0)
      .filter(({ pkg, tier }) => policy.requireProvenance === 'all' || isStrictTier(tier) || policy.requireProvenanceFor.includes(pkg.name))
      .map(({ pkg, result, tier }) =>
        packageFinding(pkg, tier, {
          ruleId: provenanceMissing.id,
          severity: provenanceMissing.severity,
          message: `${tier ? `${tierLabel(tier)} ` : ''}${pkg.name}@${pkg.version} has no provenance attestation: nothing links it to a source repository and build.`,
          remediation: `Ask the maintainers of ${pkg.name} to publish with provenance (npm publish --provenance from CI), or pin a version that has it.`,
          evidence: { reason: result.reason, publishAttestation: result.publishAttestation },
        }),
      );
  },
};
