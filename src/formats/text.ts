import { Chalk, type ChalkInstance } from 'chalk';
import { tierLabel } from '../model/tier.js';
import { aiToolLines } from './ai-table.js';
import type { Finding, Report } from '../report/model.js';
import { SEVERITIES, type Severity } from '../model/severity.js';

export interface TextOptions {
  color: boolean;
}

const MAX_PATHS_SHOWN = 3;

export function formatText(report: Report, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [header(report, c), ''];
  for (const notice of report.notices) lines.push(c.dim(`note: ${notice}`));
  if (report.notices.length > 0) lines.push('');

  for (const severity of SEVERITIES) {
    const group = report.findings.filter((finding) => finding.severity === severity && !finding.suppressed);
    if (group.length === 0) continue;
    lines.push(paint(c, severity)(`${severity.toUpperCase()} (${group.length})`));
    for (const finding of group) lines.push(...findingLines(finding, c), '');
  }
  const suppressed = report.findings.filter((finding) => finding.suppressed);
  if (suppressed.length > 0) {
    lines.push(c.dim(`SUPPRESSED by the allow-list (${suppressed.length})`));
    for (const finding of suppressed) {
      const subject = finding.package ? ` ${finding.package.name}${finding.package.version ? `@${finding.package.version}` : ''}` : '';
      const until = finding.suppressed?.expires ? ` (until ${finding.suppressed.expires})` : '';
      lines.push(c.dim(`  ○ ${finding.ruleId}${subject} [${finding.severity}]: ${finding.suppressed?.reason ?? ''}${until}`));
    }
    lines.push('');
  }
  if (report.aiTools.length > 0) lines.push(...aiToolLines(report, c), '');
  if (report.errors.length > 0) {
    lines.push(c.red.bold(`Could not be determined (${report.errors.length})`));
    for (const error of report.errors) lines.push(`  ${c.red('!')} ${error.scope}: ${error.message}`);
    lines.push('');
  }
  lines.push(summaryLine(report, c));
  return `${lines.join('\n')}\n`;
}

function header(report: Report, c: ChalkInstance): string {
  const { project, summary } = report;
  const lockfile = project.lockfile
    ? `${project.lockfile} (${project.lockfileFormat} lockfile v${project.lockfileVersion})`
    : 'no lockfile';
  return `${c.bold(`${report.tool.name} ${report.tool.version}`)} ${c.dim('—')} ${project.name}: ${lockfile}, ${plural(summary.packages, 'package')}`;
}

function findingLines(finding: Finding, c: ChalkInstance): string[] {
  const subject = finding.package ? `${finding.package.name}${finding.package.version ? `@${finding.package.version}` : ''}` : '';
  const tier = finding.aiTier ? c.magenta(` [${tierLabel(finding.aiTier)}]`) : '';
  const where = finding.location ? c.dim(` ${finding.location.file}${finding.location.line ? `:${finding.location.line}` : ''}`) : '';
  const lines = [`  ${paint(c, finding.severity)('●')} ${c.bold(finding.ruleId)} ${subject}${tier}${where}`, `    ${finding.message}`];
  for (const path of finding.paths.slice(0, MAX_PATHS_SHOWN)) lines.push(c.dim(`    why: ${path.join(' > ')}`));
  if (finding.paths.length > MAX_PATHS_SHOWN) lines.push(c.dim(`    why: … and ${finding.paths.length - MAX_PATHS_SHOWN} more paths`));
  lines.push(`    ${c.green('fix:')} ${finding.remediation}`);
  return lines;
}

function summaryLine(report: Report, c: ChalkInstance): string {
  const { summary } = report;
  const counts = SEVERITIES.map((severity) => `${summary.bySeverity[severity]} ${severity}`).join(', ');
  const verdict = summary.passed
    ? c.green.bold('PASSED')
    : c.red.bold(summary.errors > 0 ? 'INCOMPLETE' : 'FAILED');
  const gate = summary.failOn === 'none' ? 'gate off' : `fail-on: ${summary.failOn}`;
  const quiet = summary.suppressed > 0 ? `, ${summary.suppressed} suppressed` : '';
  return `${plural(summary.findings, 'finding')} (${counts}${quiet}) in ${plural(summary.packages, 'package')} — ${verdict} (${gate})`;
}

function paint(c: ChalkInstance, severity: Severity): ChalkInstance {
  switch (severity) {
    case 'critical':
      return c.bgRed.white.bold;
    case 'high':
      return c.red.bold;
    case 'medium':
      return c.yellow;
    case 'low':
      return c.cyan;
    case 'info':
      return c.dim;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
