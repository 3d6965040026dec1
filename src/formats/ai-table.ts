import type { ChalkInstance } from 'chalk';
import type { AiToolReport, Report } from '../report/model.js';
import { forTerminal as t } from './escape.js';
import { pickedBy } from '../ai/offered.js';
import { reachedBy } from '../ai/endpoints.js';

const EVIDENCE_PER_TOOL = 3;
const PATH_ORDER = ['network-hop', 'unknown', 'in-process', 'none'];

/** The AI tools table, then the evidence behind each tool's answers (file:line). */
export function aiToolLines(report: Report, c: ChalkInstance): string[] {
  const tools = [...report.aiTools].sort((a, b) => PATH_ORDER.indexOf(a.requestPath) - PATH_ORDER.indexOf(b.requestPath) || label(a).localeCompare(label(b)));
  const head = ['tool', 'kind', 'role', 'request path', 'provider keys', 'prompts to 3rd party', 'single point of failure', 'runs at', 'known'];
  const rows = tools.map((tool) => [
    label(tool),
    tool.kind,
    tool.role,
    tool.requestPath,
    tool.handlesKeys,
    tool.sendsPrompts,
    tool.singlePointOfFailure === null ? 'unknown' : tool.singlePointOfFailure ? 'yes' : 'no',
    t(runsAt(tool)),
    knownLabel(tool),
  ]);
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const render = (row: string[]) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd();
  const lines = [c.bold(`AI tools (${tools.length})`), c.dim(render(head))];
  tools.forEach((tool, index) => {
    const line = render(rows[index] ?? []);
    const taken = tool.confidence.requestPath === 'observed' || tool.confidence.requestPath === 'default';
    lines.push(tool.requestPath === 'network-hop' && taken ? c.yellow(line) : line);
  });
  lines.push('', c.bold('Why'));
  for (const tool of tools) lines.push(...evidenceLines(tool, c));
  return lines;
}

/**
 * How the answers are known: `observed` (the project shows it), `default` (the package does it and
 * the project uses it), `offered` (taken only for a provider picked at run time, which nothing in
 * the project picks), `possible` (only in the tree); `mixed` lists each answer's confidence.
 */
export function knownLabel(tool: AiToolReport): string {
  const values = [tool.confidence.requestPath, tool.confidence.handlesKeys, tool.confidence.sendsPrompts, tool.confidence.singlePointOfFailure];
  if (values.every((value) => value === values[0])) return values[0] ?? 'possible';
  return `mixed (path ${values[0]}, keys ${values[1]}, prompts ${values[2]}, spof ${values[3]})`;
}

export function label(tool: AiToolReport): string {
  return t(rawLabel(tool));
}

function rawLabel(tool: AiToolReport): string {
  switch (tool.origin) {
    case 'npm':
      return `${tool.name}@${tool.version ?? '?'}`;
    case 'container':
      return `${tool.name}${tool.version ? (tool.version.includes(':') ? `@${tool.version}` : `:${tool.version}`) : ''} (container)`;
    case 'pypi':
      return `${tool.name}${tool.version ? ` ${tool.version}` : ''} (PyPI)`;
    case 'endpoint':
      return `${tool.name} (endpoint)`;
  }
}

export function runsAt(tool: AiToolReport): string {
  if (tool.kind === 'endpoint') return `${tool.role === 'provider-api' ? 'provider' : (tool.hosting ?? 'unknown')}, ${reachedBy(tool)}`;
  if (tool.via) return `via ${tool.via}`;
  if (tool.hosting === 'self-hosted') return 'self-hosted';
  if (tool.hosting === 'vendor') return tool.vendor;
  if (tool.hosting === 'unknown') return 'unknown host';
  return 'in the app only';
}

function evidenceLines(tool: AiToolReport, c: ChalkInstance): string[] {
  const deciding = tool.evidence.filter((item) => item.kind !== 'catalog' && item.supports && item.supports.length > 0);
  const located = tool.evidence.filter((item) => item.kind !== 'catalog' && item.file && !deciding.includes(item));
  const shown = [...deciding, ...located].slice(0, EVIDENCE_PER_TOOL);
  const lines = [`  ${c.bold(label(tool))}: ${tool.tool === 'unknown' ? 'not in the catalog' : `${t(tool.tool)}, ${tool.role}`}`];
  if (shown.length === 0) lines.push(c.dim(`    ${t(tool.evidence[tool.evidence.length - 1]?.detail ?? 'catalog defaults')}`));
  for (const item of shown) {
    const where = item.file ? `${t(item.file)}${item.line ? `:${item.line}` : ''}  ` : '';
    lines.push(`    ${c.dim(where)}${t(item.detail)}`);
  }
  const more = tool.evidence.length - 1 - shown.length;
  if (more > 0 && shown.length > 0) lines.push(c.dim(`    … ${more} more in the JSON report`));
  const choice = tool.confidence.requestPath === 'offered' ? tool.endpoint?.routes.find((route) => route.choice)?.choice : undefined;
  if (choice) lines.push(`    ${c.dim(`${t(choice.file)}:${choice.line}  `)}offered only: taken when the provider picked at run time is ${t(pickedBy(choice))}; no env or deployment file picks it`);
  for (const route of tool.unresolved.slice(0, EVIDENCE_PER_TOOL)) lines.push(`    ${c.dim(`${t(route.file)}${route.line ? `:${route.line}` : ''}  `)}unresolved: ${t(route.detail)}`);
  if (tool.unresolved.length > EVIDENCE_PER_TOOL) lines.push(c.dim(`    … ${tool.unresolved.length - EVIDENCE_PER_TOOL} more unresolved base URLs in the JSON report`));
  return lines;
}

