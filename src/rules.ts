import type { Severity } from './severity.js';

/**
 * Every rule id the tool can report, with its default severity and the sentence used by
 * `--help`, SARIF rule metadata and the README. Ids are a public contract: never rename one.
 */
export const RULES = {
  'lockfile-missing': { severity: 'high', description: 'No lockfile: every install resolves dependency versions afresh.' },
  'lockfile-out-of-sync': { severity: 'high', description: 'package.json asks for something the lockfile does not hold.' },
  'lockfile-integrity-missing': { severity: 'medium', description: 'A locked registry package has no integrity hash, or only a sha1 one.' },
  'lockfile-integrity-mismatch': { severity: 'critical', description: 'The locked integrity differs from what the registry publishes for that version.' },
  'lockfile-untrusted-source': { severity: 'medium', description: 'A package is resolved from an unexpected host, over http, or from git, a remote tarball or a file outside the project.' },
  'unpinned-spec': { severity: 'low', description: 'A direct dependency is declared with a range, tag or wildcard instead of an exact version.' },
  'recent-release': { severity: 'high', description: 'The locked version was published less than the minimum release age ago.' },
  'version-unpublished': { severity: 'critical', description: 'The locked version no longer exists on the registry (often a removed malicious release).' },
  'deprecated-version': { severity: 'low', description: 'The registry marks the locked version deprecated.' },
  'install-script': { severity: 'low', description: 'The package runs preinstall, install or postinstall scripts.' },
  'install-script-added': { severity: 'high', description: 'This version adds install scripts that the previous version did not have.' },
  'publisher-changed': { severity: 'medium', description: 'This version was published by an account that published none of the recent earlier versions.' },
  'signature-invalid': { severity: 'critical', description: 'The registry signature over name@version:integrity does not verify.' },
  'signature-missing': { severity: 'high', description: 'The registry publishes signing keys, but the locked version carries no signature.' },
  'provenance-missing': { severity: 'medium', description: 'The locked version has no provenance attestation.' },
  'provenance-regression': { severity: 'high', description: 'Earlier versions had provenance attestations; the locked one does not.' },
  'provenance-invalid': { severity: 'critical', description: 'An attestation bundle fails Sigstore verification or names another subject.' },
  'provenance-source-mismatch': { severity: 'high', description: 'The attested source repository differs from the expected one.' },
  'ai-gateway-in-path': { severity: 'medium', description: 'An AI gateway or proxy sits in the network path of LLM calls.' },
  'ai-tool-handles-keys': { severity: 'medium', description: 'An AI tool receives or forwards provider API keys.' },
  'ai-tool-sends-prompts': { severity: 'medium', description: 'An AI tool ships prompts or completions to a third party.' },
  'ai-gateway-image-unpinned': { severity: 'high', description: 'A gateway container image or Python gateway package is referenced by a mutable tag or range.' },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.hasOwn(RULES, value);
}
