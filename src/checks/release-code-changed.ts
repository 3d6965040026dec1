import type { Finding } from '../model/finding.js';
import { releaseFindingParts } from '../release-diff/finding.js';
import { registrySubjects } from './registry-subjects.js';
import type { Check } from './types.js';

/**
 * Four 2024–2025 hijacks (chalk, debug, @solana/web3.js, @lottiefiles/lottie-player) left no
 * metadata signal once a few days old: only their code told. This compares a release's code
 * with its predecessor's and reports what appeared in it.
 */
export const releaseCodeChanged: Check<'release-code-changed'> = {
  id: 'release-code-changed',
  severity: 'high',
  description: "A release's code adds, against its predecessor, obfuscated code, secret or wallet reads next to a new network destination, or new install-time code, child processes or dynamic code.",
  help: 'Read the new code the finding points at (file, line and excerpt) and the release notes. Until the change is explained by the maintainers, pin the previous version. High: obfuscated code, or secrets, the environment or wallets read next to a new network destination. Medium: new install scripts, child processes, dynamic code or secret reads on their own.',
  run(context) {
    const findings: Finding[] = [];
    const outcomes = context.releaseDiff?.outcomes;
    if (!outcomes) return findings;
    for (const { pkg, base } of registrySubjects(context)) {
      const outcome = outcomes.get(pkg.id);
      const parts = outcome && releaseFindingParts(outcome);
      if (parts) findings.push({ ruleId: releaseCodeChanged.id, ...base, ...parts });
    }
    return findings;
  },
};
