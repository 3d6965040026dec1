import { aiGatewayImageUnpinned } from './ai-gateway-image-unpinned.js';
import { aiGatewayInPath } from './ai-gateway-in-path.js';
import { aiToolHandlesKeys } from './ai-tool-handles-keys.js';
import { aiToolSendsPrompts } from './ai-tool-sends-prompts.js';
import { deprecatedVersion } from './deprecated-version.js';
import { installScriptAdded } from './install-script-added.js';
import { installScript } from './install-script.js';
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
import { signatureMissing } from './signature-missing.js';
import type { Check, CheckContext } from './types.js';
import { unpinnedSpec } from './unpinned-spec.js';
import { versionUnpublished } from './version-unpublished.js';
import type { Finding } from '../report/model.js';

/** Every check the audit runs. Adding a check: one file, its test, one line here. */
export const CHECKS: readonly Check[] = [lockfileMissing, lockfileOutOfSync, lockfileIntegrityMissing, lockfileUntrustedSource, unpinnedSpec,
  signatureInvalid, signatureMissing, provenanceInvalid, provenanceRegression, provenanceMissing, provenanceSourceMismatch,
  recentRelease, versionUnpublished, lockfileIntegrityMismatch, installScriptAdded, installScript, publisherChanged, deprecatedVersion,
  aiGatewayInPath, aiToolHandlesKeys, aiToolSendsPrompts, aiGatewayImageUnpinned];

export function runChecks(context: CheckContext, checks: readonly Check[] = CHECKS): Finding[] {
  return checks.flatMap((check) => check.run(context));
}
