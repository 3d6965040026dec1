import { createHash } from 'node:crypto';
import type { RuleId } from '../../model/rule-id.js';
import type { Finding } from '../model.js';

/**
 * Rules about the package or the declaration, not about one release: the same finding after a
 * version bump is the one the base already had. Every other rule is about the locked release
 * (its age, its publisher, its attestations, its lockfile entry), so on a new version it is a
 * new finding: `recent-release` on the version a PR brings in is what the PR adds.
 */
const ACROSS_VERSIONS = new Set<RuleId>([
  'unpinned-spec',
  'lockfile-missing',
  'lockfile-out-of-sync',
  'lockfile-untrusted-source',
  'install-script',
  'provenance-missing',
  'ai-gateway-in-path',
  'ai-tool-handles-keys',
  'ai-tool-sends-prompts',
  'ai-gateway-image-unpinned',
]);

/**
 * What makes two findings of base and head the same one: the rule, the package name, the
 * version where the rule is about a release, the file (not the line: lines move), and for a
 * few rules the fact that, when it changes, makes a new finding (a different install script,
 * another untrusted host, a stronger AI answer).
 */
export function findingFingerprint(finding: Finding): string {
  const version = ACROSS_VERSIONS.has(finding.ruleId) ? '*' : (finding.package?.version ?? '');
  const parts = [finding.ruleId, finding.package?.name ?? '', version, finding.location?.file ?? '', discriminator(finding)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function discriminator(finding: Finding): string {
  const evidence = finding.evidence;
  switch (finding.ruleId) {
    case 'install-script':
      return stable(evidence.installScripts);
    case 'lockfile-untrusted-source':
      return stable([evidence.kind, hostOf(evidence.resolved) ?? evidence.host ?? null]);
    case 'lockfile-out-of-sync':
      return stable([evidence.importer, evidence.spec]);
    case 'ai-tool-handles-keys':
      return stable([evidence.tool, evidence.via, evidence.handlesKeys]);
    case 'ai-tool-sends-prompts':
      return stable([evidence.tool, evidence.via, evidence.sendsPrompts]);
    case 'ai-gateway-in-path':
      return stable([evidence.tool, evidence.via, evidence.requestPath]);
    case 'ai-gateway-image-unpinned':
      return stable([evidence.tool, evidence.kind]);
    default:
      return '';
  }
}

function hostOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    return new URL(value).host || null;
  } catch {
    return null;
  }
}

/** JSON with object keys sorted, so the same facts give the same text. */
function stable(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
  );
}
