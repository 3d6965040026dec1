import { normalizeRepository } from '../provenance/slsa.js';
import { packageFinding, withProvenance } from './provenance-findings.js';
import type { Check } from './types.js';

/** Verified provenance from the wrong repository is a fork or a hijack publishing under the package's name. */
export const provenanceSourceMismatch: Check<'provenance-source-mismatch'> = {
  id: 'provenance-source-mismatch',
  severity: 'high',
  description: 'The attested source repository differs from the expected one.',
  help: 'The provenance names a source repository other than the one expected in the policy file. Check whether the project moved; otherwise treat the release as untrusted.',
  run(context) {
    return withProvenance(context).flatMap(({ pkg, result, tier }) => {
      const attested = result.source?.repository ?? null;
      if (result.provenance !== 'verified' || !attested) return [];
      const expected = context.policy.expectedSources[pkg.name];
      const [against, origin] = expected ? [expected, 'the policy'] : [result.declaredRepository, 'its package.json'];
      const want = normalizeRepository(against);
      const got = normalizeRepository(attested);
      if (!want || !got || want === got) return [];
      return [
        packageFinding(pkg, tier, {
          ruleId: provenanceSourceMismatch.id,
          severity: provenanceSourceMismatch.severity,
          message: `${pkg.name}@${pkg.version} was built from ${attested}, but ${origin} expects ${against}.`,
          remediation: `Check who controls ${attested}; if the move is legitimate, update ${expected ? 'expectedSources in the policy' : 'the expectation'} — otherwise do not install this version.`,
          evidence: { attested, expected: against, expectedFrom: expected ? 'policy' : 'package.json', workflow: result.source?.workflow ?? null, ref: result.source?.ref ?? null },
        }),
      ];
    });
  },
};
