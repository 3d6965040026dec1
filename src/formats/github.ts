import type { Finding, Report } from '../report/model.js';
import { atLeast } from '../model/severity.js';
import { forWorkflowData, forWorkflowProperty } from './escape.js';
import { pathFromSourceRoot } from './paths.js';

export interface GithubOptions {
  /** The checkout (GITHUB_WORKSPACE): annotation paths are relative to it. Default: the project root. */
  sourceRoot?: string;
}

/** GitHub shows only the first few annotations of each kind per step; the rest only clutter the log. */
const MAX_ANNOTATIONS = 50;

/**
 * GitHub Actions workflow commands: an `::error` for every finding that fails the gate, a
 * `::warning` for the others (`::notice` for info), none for suppressed findings.
 */
export function formatGithub(report: Report, options: GithubOptions = {}): string {
  const sourceRoot = options.sourceRoot ?? report.project.root;
  const lines = report.errors.map((error) => command('error', { title: `${report.tool.name}: could not determine ${error.scope}` }, error.message));
  const active = report.findings.filter((finding) => !finding.suppressed);
  for (const finding of active.slice(0, MAX_ANNOTATIONS)) {
    const properties: Record<string, string> = {};
    if (finding.location) {
      properties.file = pathFromSourceRoot(report.project.root, sourceRoot, finding.location.file);
      if (finding.location.line !== null) properties.line = String(finding.location.line);
    }
    properties.title = titleOf(finding);
    lines.push(command(levelOf(finding, report), properties, `${finding.message}\nFix: ${finding.remediation}`));
  }
  if (active.length > MAX_ANNOTATIONS) {
    lines.push(command('notice', { title: report.tool.name }, `${active.length - MAX_ANNOTATIONS} more findings are not annotated: see the step summary or the report.`));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function levelOf(finding: Finding, report: Report): 'error' | 'warning' | 'notice' {
  // with a base, only what the pull request brings in fails the gate (unless --fail-on-existing)
  if (atLeast(finding.severity, report.summary.failOn) && (report.diff?.gate !== 'new' || finding.baselineState === 'new')) return 'error';
  return finding.severity === 'info' ? 'notice' : 'warning';
}

function titleOf(finding: Finding): string {
  const subject = finding.package ? ` ${finding.package.name}${finding.package.version ? `@${finding.package.version}` : ''}` : '';
  return `${finding.ruleId} (${finding.severity})${subject}`;
}

function command(name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${forWorkflowProperty(value)}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${forWorkflowData(message)}`;
}
