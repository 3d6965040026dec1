import type { CodeSignal } from './model.js';
import type { ReleaseOutcome } from './compare.js';

export type ReleaseFindingSeverity = 'critical' | 'high' | 'medium';

/** The words and evidence of a `release-code-changed` finding; the check adds the package, location and paths. */
export interface ReleaseFindingParts {
  severity: ReleaseFindingSeverity;
  message: string;
  remediation: string;
  evidence: Record<string, unknown>;
}

const MAX_EVIDENCE_SIGNALS = 20;

/** One finding per flagged release, or per tarball whose bytes do not match their integrity; nothing for a release that added nothing of note. */
export function releaseFindingParts(outcome: ReleaseOutcome): ReleaseFindingParts | null {
  const { release } = outcome;
  const spec = `${release.name}@${release.version}`;
  if (outcome.status === 'integrity-mismatch') {
    return {
      severity: 'critical',
      message: `The tarball of ${release.name}@${outcome.version} does not match its integrity (${outcome.message}); its code was not compared.`,
      remediation: `Do not install ${spec} until the mismatch is explained: clear npm's cache, reinstall from the registry and compare the lockfile's integrity with the registry's.`,
      evidence: { version: outcome.version, previousVersion: release.previousVersion, failure: 'integrity-mismatch', detail: outcome.message },
    };
  }
  if (outcome.status !== 'compared') return null;
  const { diff } = outcome;
  const severity = diff.severity;
  if (!severity) return null;
  const first = [...diff.added].sort((a, b) => rank(a) - rank(b))[0];
  const where = first ? ` First at ${first.file}:${first.line}: ${first.excerpt}` : '';
  return {
    severity,
    message: `${spec} adds code that ${release.previousVersion} did not have: ${diff.reasons.join('; ')}.${where}`,
    remediation: `Read the new code before installing; pin ${release.name} to ${release.previousVersion} until the change is explained by the maintainers (release notes, a commit in the source repository).`,
    evidence: {
      previousVersion: release.previousVersion,
      scope: release.why,
      reasons: diff.reasons,
      added: diff.added.slice(0, MAX_EVIDENCE_SIGNALS).map(evidenceOf),
      addedCount: diff.added.length,
      truncated: diff.truncated,
    },
  };
}

/** The signal the message points at: the one that weighs most in the verdict. */
const RANKS = ['obfuscation', 'dynamic-code', 'env-enumeration', 'credential-path', 'wallet', 'secret-key', 'network-hook', 'child-process', 'install-script', 'endpoint', 'network-send'];
function rank(signal: CodeSignal): number {
  return signal.key === 'dynamic-code:decoded' ? 0 : RANKS.indexOf(signal.kind);
}

function evidenceOf(signal: CodeSignal): Record<string, unknown> {
  return { kind: signal.kind, key: signal.key.slice(0, 120), file: signal.file, line: signal.line, runsAt: signal.runsAt, excerpt: signal.excerpt };
}
