import type { AiToolReport } from '../ai/model.js';
import type { Finding } from '../model/finding.js';
import type { RuleId } from '../model/rule-id.js';
import type { Severity } from '../model/severity.js';
import type { CheckContext } from './types.js';

/** A finding about one classified AI tool, located at the project file that shows the behaviour. */
export function aiToolFinding(
  context: CheckContext,
  tool: AiToolReport,
  finding: { ruleId: RuleId; severity: Severity; message: string; remediation: string; evidence: Record<string, unknown> },
): Finding {
  const pkg = tool.origin === 'npm' ? context.inventory.packages.find((item) => item.name === tool.name && item.version === tool.version) : undefined;
  const local = tool.evidence.filter((item) => item.file && item.kind !== 'package' && item.kind !== 'catalog');
  // where the behaviour is decided or used, before the import line
  const shown = local.find((item) => item.supports && item.supports.length > 0) ?? local.find((item) => !item.detail.startsWith('imports ')) ?? local[0];
  return {
    ...finding,
    package: { name: tool.name, version: tool.version },
    evidence: { tool: tool.tool, role: tool.role, origin: tool.origin, hosting: tool.hosting, via: tool.via, ...finding.evidence },
    location: shown?.file ? { file: shown.file, line: shown.line ?? null } : null,
    paths: pkg?.paths ?? [],
    aiTier: tool.tier,
  };
}

export function subject(tool: AiToolReport): string {
  const version = tool.version ? `@${tool.version}` : '';
  const what = tool.origin === 'container' ? 'container' : tool.origin === 'pypi' ? 'Python package' : tool.origin === 'endpoint' ? 'endpoint' : 'package';
  return `${tool.name}${version} (${tool.tool === 'unknown' ? 'uncatalogued' : tool.tool} ${what})`;
}
