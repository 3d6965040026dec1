import { knownLabel, runsAt } from './ai-table.js';
import { tierLabel } from '../model/tier.js';
import type { AllowListEntryReport, Finding, Report } from '../report/model.js';
import { atLeast, SEVERITIES } from '../model/severity.js';
import { diffMarkdownSection } from './diff-markdown.js';
import { cell, code, table } from './markdown-text.js';

/** Rows beyond this are summarised: GitHub caps a PR comment at 65,536 characters and a step summary at 1 MiB. */
const MAX_FINDING_ROWS = 100;

/** A summary and tables for a pull-request comment or the GitHub step summary. */
export function formatMarkdown(report: Report): string {
  // with a base, what the pull request changes comes first: it is what the reviewer is asked about
  const sections = [header(report), report.diff ? diffMarkdownSection(report.diff, report.findings) : '', severityTable(report), findingsSection(report), suppressedSection(report), allowListSection(report), aiToolsSection(report), errorsSection(report), noticesSection(report)];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function header(report: Report): string {
  const { summary, project } = report;
  const unchecked = summary.unchecked.map((entry) => `${entry.check === 'registry-facts' ? 'registry facts' : entry.check} ${entry.packages}`).join(', ');
  const verdict = summary.passed ? `✅ passed${unchecked ? ` (with unchecked: ${unchecked})` : ''}` : summary.errors > 0 ? '⚠️ incomplete' : '❌ failed';
  const gate = summary.failOn === 'none' ? 'gate off' : `fail-on: ${summary.failOn}${report.diff?.gate === 'new' ? ', new findings only' : ''}`;
  const lockfile = project.lockfile ? `${code(project.lockfile)} (${project.lockfileFormat} lockfile v${cell(String(project.lockfileVersion))})` : 'no lockfile';
  return [
    `## ${report.tool.name}: ${verdict} (${gate})`,
    '',
    `**${cell(project.name)}** — ${lockfile}, ${count(summary.packages, 'package')} (${summary.directPackages} direct), ${count(summary.aiTools, 'AI tool')}. ` +
      `${count(summary.findings, 'finding')}${summary.suppressed > 0 ? `, ${summary.suppressed} suppressed by the allow-list` : ''}${summary.errors > 0 ? `; ${summary.errors} ${summary.errors === 1 ? 'thing' : 'things'} could not be determined` : ''}.`,
    '',
    `<sub>${report.tool.name} ${report.tool.version} · evaluated at ${report.now} · report schema ${report.schemaVersion}</sub>`,
  ].join('\n');
}

function severityTable(report: Report): string {
  const { bySeverity } = report.summary;
  const fails = report.diff?.gate === 'new' ? ' (new ones fail the gate)' : ' (fails the gate)';
  const gated = (severity: (typeof SEVERITIES)[number]) => (atLeast(severity, report.summary.failOn) ? fails : '');
  return table(
    ['severity', 'findings'],
    SEVERITIES.map((severity) => [`${severity}${bySeverity[severity] > 0 ? gated(severity) : ''}`, String(bySeverity[severity])]),
    ['---', '--:'],
  );
}

function findingsSection(report: Report): string {
  const active = report.findings.filter((finding) => !finding.suppressed);
  if (active.length === 0) return '### Findings\n\nNo findings.';
  const rows = active.slice(0, MAX_FINDING_ROWS).map((finding) => [
    finding.baselineState === 'new' ? `${finding.severity} (new)` : finding.severity,
    code(finding.ruleId),
    subject(finding),
    where(finding),
    `${cell(finding.message)}<br>**Fix:** ${cell(finding.remediation)}`,
  ]);
  const more = active.length > MAX_FINDING_ROWS ? `\n\n…and ${active.length - MAX_FINDING_ROWS} more findings: see the JSON or SARIF report.` : '';
  return `### Findings (${active.length})\n\n${table(['severity', 'rule', 'package', 'location', 'finding'], rows)}${more}`;
}

function suppressedSection(report: Report): string {
  const suppressed = report.findings.filter((finding) => finding.suppressed);
  if (suppressed.length === 0) return '';
  const rows = suppressed.map((finding) => [
    finding.severity,
    code(finding.ruleId),
    subject(finding),
    cell(finding.suppressed?.reason ?? ''),
    cell(finding.suppressed?.expires ?? 'never'),
  ]);
  return `### Suppressed by the allow-list (${suppressed.length})\n\n${table(['severity', 'rule', 'package', 'reason', 'expires'], rows)}`;
}

function allowListSection(report: Report): string {
  const expired = report.allowList.filter((entry) => entry.status === 'expired');
  if (expired.length === 0) return '';
  const rows = expired.map((entry: AllowListEntryReport) => [
    code(entry.rule),
    entry.package ? code(`${entry.package}${entry.version ? `@${entry.version}` : ''}`) : 'any package',
    cell(entry.expires ?? ''),
    cell(entry.reason),
    String(entry.matches),
  ]);
  return `### Expired allow-list entries (${expired.length})\n\nThese entries no longer suppress anything; the findings they match count again.\n\n${table(['rule', 'package', 'expired', 'reason', 'findings'], rows)}`;
}

function aiToolsSection(report: Report): string {
  if (report.aiTools.length === 0) return '';
  const rows = report.aiTools.map((tool) => [
    code(tool.kind === 'endpoint' ? tool.name : `${tool.name}@${tool.version ?? '?'}`),
    tool.kind,
    `${cell(tool.tool)} (${tierLabel(tool.tier)})`,
    tool.role,
    tool.requestPath,
    tool.handlesKeys,
    tool.sendsPrompts,
    tool.singlePointOfFailure === null ? 'unknown' : tool.singlePointOfFailure ? 'yes' : 'no',
    tool.kind === 'endpoint' ? cell(runsAt(tool)) : tool.via ? cell(tool.via) : tool.hosting ?? '',
    knownLabel(tool),
  ]);
  return `### AI tools (${report.aiTools.length})\n\n${table(['name', 'kind', 'tool', 'role', 'request path', 'provider keys', 'prompts', 'single point of failure', 'hosted by / via', 'known'], rows)}`;
}

function errorsSection(report: Report): string {
  if (report.errors.length === 0) return '';
  const items = report.errors.map((error) => `- **${cell(error.scope)}**: ${cell(error.message)}`);
  return `### Could not be determined (${report.errors.length})\n\nThe audit is incomplete, so it cannot pass.\n\n${items.join('\n')}`;
}

function noticesSection(report: Report): string {
  if (report.notices.length === 0) return '';
  return `### Notes\n\n${report.notices.map((notice) => `- ${cell(notice)}`).join('\n')}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function subject(finding: Finding): string {
  if (!finding.package) return '';
  const name = code(`${finding.package.name}${finding.package.version ? `@${finding.package.version}` : ''}`);
  return finding.aiTier ? `${name}<br>${tierLabel(finding.aiTier)}` : name;
}

function where(finding: Finding): string {
  if (!finding.location) return '';
  return code(`${finding.location.file}${finding.location.line !== null ? `:${finding.location.line}` : ''}`);
}
