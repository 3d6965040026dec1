import { aiGatewayImageUnpinned } from './ai-gateway-image-unpinned.js';
import { aiGatewayInPath } from './ai-gateway-in-path.js';
import { aiToolHandlesKeys } from './ai-tool-handles-keys.js';
import { aiToolSendsPrompts } from './ai-tool-sends-prompts.js';
import { deprecatedVersion } from './deprecated-version.js';
import { installScript } from './install-script.js';
import { installScriptAdded } from './install-script-added.js';
import { lockfileIntegrityMismatch } from './lockfile-integrity-mismatch.js';
import { lockfileIntegrityMissing } from './lockfile-integrity-missing.js';
import { lockfileMissing } from './lockfile-missing.js';
import { lockfileOutOfSync } from './lockfile-out-of-sync.js';
import { lockfileUntrustedSource } from './lockfile-untrusted-source.js';
import { provenanceInvalid } from './provenance-invalid.js';
import { provenanceMissing } from './provenance-missing.js';
import { provenanceRegression } from './provenance-regression.js';
import { provenanceSourceMismatch } from './provenance-source-mismatch.js';
import { publisherChanged } from './publisher-changed.js';
import { recentRelease } from './recent-release.js';
import { signatureInvalid } from './signature-invalid.js';
import { unpinnedSpec } from './unpinned-spec.js';
import { versionNotListed } from './version-not-listed.js';
import { versionUnpublished } from './version-unpublished.js';
import type { Finding } from '../model/finding.js';
import { RULE_IDS, type RuleId } from '../model/rule-id.js';
import type { Severity } from '../model/severity.js';
import type { Check, CheckContext } from './types.js';

/**
 * Every check, by the rule id it reports. Adding a check: its file, its test, one line here;
 * the type makes a missing or misfiled check a compile error.
 */
export const CHECKS = {
  'lockfile-missing': lockfileMissing,
  'lockfile-out-of-sync': lockfileOutOfSync,
  'lockfile-integrity-missing': lockfileIntegrityMissing,
  'lockfile-integrity-mismatch': lockfileIntegrityMismatch,
  'lockfile-untrusted-source': lockfileUntrustedSource,
  'unpinned-spec': unpinnedSpec,
  'recent-release': recentRelease,
  'version-unpublished': versionUnpublished,
  'version-not-listed': versionNotListed,
  'deprecated-version': deprecatedVersion,
  'install-script': installScript,
  'install-script-added': installScriptAdded,
  'publisher-changed': publisherChanged,
  'signature-invalid': signatureInvalid,
  'provenance-missing': provenanceMissing,
  'provenance-regression': provenanceRegression,
  'provenance-invalid': provenanceInvalid,
  'provenance-source-mismatch': provenanceSourceMismatch,
  'ai-gateway-in-path': aiGatewayInPath,
  'ai-tool-handles-keys': aiToolHandlesKeys,
  'ai-tool-sends-prompts': aiToolSendsPrompts,
  'ai-gateway-image-unpinned': aiGatewayImageUnpinned,
} satisfies { [Id in RuleId]: Check<Id> };

export interface RuleMeta {
  severity: Severity;
  description: string;
  help: string;
}

/** Rule metadata (default severity, description, help) as the checks declare it: SARIF, docs and `--help` read it here. */
export const RULES = Object.fromEntries(
  RULE_IDS.map((id) => [id, { severity: CHECKS[id].severity, description: CHECKS[id].description, help: CHECKS[id].help }]),
) as Record<RuleId, RuleMeta>;

export function runChecks(context: CheckContext, checks: readonly Check[] = Object.values(CHECKS)): Finding[] {
  return checks.flatMap((check) => check.run(context));
}
