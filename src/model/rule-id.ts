/**
 * Every rule id the tool can report. Ids are a public contract (JSON, SARIF, policy allow-lists):
 * never rename one. Each has its check in src/checks/, which carries its severity and words.
 */
export const RULE_IDS = [
  'lockfile-missing',
  'lockfile-out-of-sync',
  'lockfile-integrity-missing',
  'lockfile-integrity-mismatch',
  'lockfile-untrusted-source',
  'unpinned-spec',
  'recent-release',
  'version-unpublished',
  'version-not-listed',
  'deprecated-version',
  'install-script',
  'install-script-added',
  'publisher-changed',
  'signature-invalid',
  'provenance-missing',
  'provenance-regression',
  'provenance-invalid',
  'provenance-source-mismatch',
  'ai-gateway-in-path',
  'ai-tool-handles-keys',
  'ai-tool-sends-prompts',
  'ai-gateway-image-unpinned',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}
