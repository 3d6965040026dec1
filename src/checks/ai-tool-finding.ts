import type { AiAnswerName, AiToolReport } from '../ai/model.js';
import { offeredSentence } from '../ai/offered.js';
import { reachedBy } from '../ai/endpoints.js';
import type { Finding } from '../model/finding.js';
import type { RuleId } from '../model/rule-id.js';
import type { Severity } from '../model/severity.js';
import type { CheckContext } from './types.js';

/** A finding about one classified AI tool, located at the project file that shows the behaviour. */
export function aiToolFinding(
  context: CheckContext,
  tool: AiToolReport,
  finding: { ruleId: RuleId; severity: Severity; message: string; remediation: string; evidence: Record<string, unknown>; answer: AiAnswerName },
): Finding {
  const { answer, ...rest } = finding;
  const confidence = tool.confidence[answer];
  // only in the tree, not reached by the project's code: listed, never gating
  const possible = confidence === 'possible';
  // taken only for a provider picked at run time that nothing in the project picks: shown, at most low unless the policy grades it in full
  const offered = confidence === 'offered';
  const capped = offered && context.policy.offeredRoutes !== 'full';
  const pkg = tool.origin === 'npm' ? context.inventory.packages.find((item) => item.name === tool.name && item.version === tool.version) : undefined;
  const local = tool.evidence.filter((item) => item.file && item.kind !== 'package' && item.kind !== 'catalog');
  // where the behaviour is decided or used, before the import line
  const shown = local.find((item) => item.supports && item.supports.length > 0) ?? local.find((item) => !item.detail.startsWith('imports ')) ?? local[0];
  return {
    ...rest,
    severity: possible ? 'info' : capped ? atMostLow(rest.severity) : rest.severity,
    message: possible ? `${rest.message} ${possibleSentence(tool)}` : offered ? `${rest.message}${offeredSentence(tool)}` : rest.message,
    package: { name: tool.name, version: tool.version },
    evidence: { tool: tool.tool, role: tool.role, origin: tool.origin, kind: tool.kind, hosting: tool.hosting, via: tool.via, confidence, ...rest.evidence },
    location: shown?.file ? { file: shown.file, line: shown.line ?? null } : null,
    paths: pkg?.paths ?? [],
    aiTier: tool.tier,
  };
}

function possibleSentence(tool: AiToolReport): string {
  return tool.kind === 'endpoint'
    ? "Possible only: the project's code names it, as an API base or in a call to its account API, but no LLM call to it was followed."
    : "Possible only: it is in the dependency tree, but the project's code does not reach it.";
}

function atMostLow(severity: Severity): Severity {
  return severity === 'info' ? 'info' : 'low';
}

export function subject(tool: AiToolReport): string {
  const version = tool.version ? `@${tool.version}` : '';
  if (tool.kind === 'endpoint') return `${tool.name} (${tool.tool === 'unknown' ? 'uncatalogued' : tool.tool} endpoint, ${reachedBy(tool)})`;
  const what = tool.origin === 'container' ? 'container' : tool.origin === 'pypi' ? 'Python package' : tool.origin === 'endpoint' ? 'endpoint' : 'package';
  return `${tool.name}${version} (${tool.tool === 'unknown' ? 'uncatalogued' : tool.tool} ${what})`;
}

/** A package whose calls go through endpoint rows: the endpoints carry the hop's findings, once each. */
export function hopCarriedElsewhere(tool: AiToolReport): boolean {
  return tool.kind === 'package' && tool.reaches.length > 0;
}
