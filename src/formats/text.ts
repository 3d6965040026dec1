import { Chalk, type ChalkInstance } from 'chalk';
import { tierLabel } from '../model/tier.js';
import { aiToolLines } from './ai-table.js';
import { diffTextLines } from './diff-text.js';
import { forTerminal as t, guardLines } from './escape.js';
import type { Finding, Report, Unchecked } from '../report/model.js';
import { atLeast, SEVERITIES, type Severity } from '../model/severity.js';

export interface TextOptions {
  color: boolean;
  /** List every finding below the --fail-on threshold too, instead of grouping them per rule. */
  verbose?: boolean;
}

const MAX_PATHS_SHOWN = 3;
const EXAMPLES_SHOWN = 3;

export function formatText(report: Report, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [header(report, c), ''];
  if (report.diff) lines.push(...diffTextLines(report.diff, report.findings, c), '');
  for (const notice of report.notices) lines.push(c.dim(`note: ${t(notice)}`));
  if (report.notices.length > 0) lines.push('');

  for (const severity of SEVERITIES) {
    const group = report.findings.filter((finding) => finding.severity === severity && !finding.suppressed);
    if (group.length === 0) continue;
    // what fails the gate is always listed in full; what does not is summed up per rule unless --verbose
    const listed = options.verbose === true || atLeast(severity, report.summary.failOn);
    const below = listed ? '' : c.dim(' — below the gate, grouped by rule (--verbose lists each)');
    lines.push(`${paint(c, severity)(`${severity.toUpperCase()} (${group.length})`)}${below}`);
    if (listed) for (const finding of group) lines.push(...findingLines(finding, c), '');
    else lines.push(...groupedLines(group, c), '');
  }
  const suppressed = report.findings.filter((finding) => finding.suppressed);
  if (suppressed.length > 0) {
    lines.push(c.dim(`SUPPRESSED by the allow-list (${suppressed.length})`));
    for (const finding of suppressed) {
      const subject = finding.package ? ` ${t(packageLabel(finding.package))}` : '';
      const until = finding.suppressed?.expires ? ` (until ${t(finding.suppressed.expires)})` : '';
      lines.push(c.dim(`  ○ ${finding.ruleId}${subject} [${finding.severity}]: ${t(finding.suppressed?.reason ?? '')}${until}`));
    }
    lines.push('');
  }
  if (report.aiTools.length > 0) lines.push(...aiToolLines(report, c), '');
  if (report.errors.length > 0) {
    lines.push(c.red.bold(`Could not be determined (${report.errors.length})`));
    for (const error of report.errors) lines.push(`  ${c.red('!')} ${t(error.scope)}: ${t(error.message)}`);
    lines.push('');
  }
  lines.push(...uncheckedLines(report, c));
  lines.push(summaryLine(report, c));
  return guardLines(`${lines.join('\n')}\n`);
}

const UNCHECKED_NOUN: Record<Unchecked['check'], string> = { 'registry-facts': 'registry facts', signatures: 'signatures', provenance: 'provenance' };

/** What the verdict does not cover: a pass is never read as "all verified" when nothing was. */
function uncheckedLines(report: Report, c: ChalkInstance): string[] {
  const { unchecked, packages } = report.summary;
  if (unchecked.length === 0) return [];
  const lines = [c.yellow.bold('Not checked')];
  for (const entry of unchecked) {
    const reasons = entry.reasons.map((reason) => (entry.reasons.length > 1 ? `${reason.reason} (${reason.packages})` : reason.reason)).join('; ');
    lines.push(`  ${c.yellow('?')} ${UNCHECKED_NOUN[entry.check]} for ${entry.packages} of ${plural(packages, 'package')}: ${t(reasons)}`);
  }
  lines.push('');
  return lines;
}

function header(report: Report, c: ChalkInstance): string {
  const { project, summary } = report;
  const lockfile = project.lockfile
    ? `${t(project.lockfile)} (${project.lockfileFormat} lockfile v${t(String(project.lockfileVersion))})`
    : 'no lockfile';
  return `${c.bold(`${report.tool.name} ${report.tool.version}`)} ${c.dim('—')} ${t(project.name)}: ${lockfile}, ${plural(summary.packages, 'package')}`;
}

function findingLines(finding: Finding, c: ChalkInstance): string[] {
  const subject = finding.package ? t(packageLabel(finding.package)) : '';
  const tier = finding.aiTier ? c.magenta(` [${tierLabel(finding.aiTier)}]`) : '';
  const where = finding.location ? c.dim(` ${t(finding.location.file)}${finding.location.line ? `:${finding.location.line}` : ''}`) : '';
  const state = finding.baselineState === 'new' ? c.yellow(' [new]') : '';
  const lines = [`  ${paint(c, finding.severity)('●')} ${c.bold(finding.ruleId)} ${subject}${tier}${where}${state}`, `    ${t(finding.message)}`];
  for (const path of finding.paths.slice(0, MAX_PATHS_SHOWN)) lines.push(c.dim(`    why: ${path.map(t).join(' > ')}`));
  if (finding.paths.length > MAX_PATHS_SHOWN) lines.push(c.dim(`    why: … and ${finding.paths.length - MAX_PATHS_SHOWN} more paths`));
  lines.push(`    ${c.green('fix:')} ${t(finding.remediation)}`);
  return lines;
}

/** One entry per rule: how many, a few examples, and the fix of the first. */
function groupedLines(findings: Finding[], c: ChalkInstance): string[] {
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const lines: string[] = [];
  for (const [ruleId, group] of byRule) {
    const first = group[0] as Finding;
    const examples = group.slice(0, EXAMPLES_SHOWN).map((finding) => t(subjectOf(finding)));
    const more = group.length > EXAMPLES_SHOWN ? `, … and ${group.length - EXAMPLES_SHOWN} more` : '';
    lines.push(`  ${paint(c, first.severity)('●')} ${c.bold(ruleId)} ×${group.length}: ${examples.join(', ')}${more}`);
    lines.push(c.dim(`    e.g. ${t(first.message)}`));
  }
  return lines;
}

function subjectOf(finding: Finding): string {
  if (finding.package) return `${finding.package.name}${finding.package.version ? `@${finding.package.version}` : ''}`;
  return finding.location ? `${finding.location.file}${finding.location.line ? `:${finding.location.line}` : ''}` : finding.ruleId;
}

function summaryLine(report: Report, c: ChalkInstance): string {
  const { summary } = report;
  const counts = SEVERITIES.map((severity) => `${summary.bySeverity[severity]} ${severity}`).join(', ');
  const unchecked = summary.unchecked.map((entry) => `${UNCHECKED_NOUN[entry.check]} ${entry.packages}`).join(', ');
  const verdict = summary.passed
    ? `${c.green.bold('PASSED')}${unchecked ? c.yellow(` (with unchecked: ${unchecked})`) : ''}`
    : c.red.bold(summary.errors > 0 ? 'INCOMPLETE' : 'FAILED');
  const gate = summary.failOn === 'none' ? 'gate off' : `fail-on: ${summary.failOn}${report.diff?.gate === 'new' ? ', new findings only' : ''}`;
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

function packageLabel(pkg: { name: string; version: string | null }): string {
  return `${pkg.name}${pkg.version ? `@${pkg.version}` : ''}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
