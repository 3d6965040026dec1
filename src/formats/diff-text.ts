import type { ChalkInstance } from 'chalk';
import type { ReportDiff } from '../report/diff/model.js';
import type { Finding } from '../report/model.js';

const MAX_LINES = 20;

type Baselined = Finding & { baselineState?: string };

/** The diff's summary for the terminal: one line of counts, then the packages added, changed and removed. */
export function diffTextLines(untrusted: ReportDiff, findings: Baselined[], c: ChalkInstance): string[] {
  const diff = printable(untrusted);
  const { summary, base } = diff;
  const against = base.commit ? `${base.ref} (${base.commit.slice(0, 12)})` : base.ref;
  const lines = [
    `${c.bold('Against')} ${against}: ${summary.packagesAdded} added, ${summary.packagesChanged} changed, ${summary.packagesRemoved} removed; ` +
      `AI tools +${summary.aiToolsAdded} -${summary.aiToolsRemoved}, routes +${summary.aiRoutesAdded} -${summary.aiRoutesRemoved}; ` +
      `${summary.newFindings} new ${summary.newFindings === 1 ? 'finding' : 'findings'}, ${summary.unchangedFindings} already at the base, ${summary.absentFindings} gone`,
  ];
  const newRules = (name: string, version: string): string => {
    const rules = findings.filter((finding) => finding.baselineState === 'new' && !finding.suppressed && finding.package?.name === name && finding.package.version === version).map((finding) => finding.ruleId);
    return rules.length > 0 ? c.yellow(`  [new: ${[...new Set(rules)].join(', ')}]`) : '';
  };
  const entries = [
    ...diff.packages.added.map((pkg) => `  ${c.green('+')} ${pkg.name}@${pkg.version}${pkg.direct ? ' (direct)' : ''}${newRules(pkg.name, pkg.version)}`),
    ...diff.packages.changed.map((change) => {
      const what = [
        change.changed.includes('version') ? `${change.from.version} -> ${change.to.version}` : null,
        change.changed.includes('source') ? `${change.from.source} -> ${change.to.source}` : null,
        change.changed.includes('host') ? `host ${change.from.host ?? 'none'} -> ${change.to.host ?? 'none'}` : null,
        change.changed.includes('integrity') ? c.red(`integrity changed for the same version ${change.to.version}`) : null,
      ].filter(Boolean);
      return `  ${c.yellow('~')} ${change.name} ${what.join(', ')}${newRules(change.name, change.to.version)}`;
    }),
    ...diff.packages.removed.map((pkg) => `  ${c.red('-')} ${pkg.name}@${pkg.version}`),
    ...diff.aiTools.added.map((tool) => `  ${c.green('+')} AI tool ${tool.name}${tool.version ? `@${tool.version}` : ''}`),
    ...diff.aiTools.removed.map((tool) => `  ${c.red('-')} AI tool ${tool.name}${tool.version ? `@${tool.version}` : ''}`),
    ...diff.aiRoutes.added.map((route) => `  ${c.green('+')} AI route ${route.from} via ${route.via}`),
    ...diff.aiRoutes.removed.map((route) => `  ${c.red('-')} AI route ${route.from} via ${route.via}`),
  ];
  lines.push(...entries.slice(0, MAX_LINES));
  if (entries.length > MAX_LINES) lines.push(c.dim(`  … and ${entries.length - MAX_LINES} more (see --json)`));
  return lines;
}

/** Names, hosts and refs come from lockfiles and the command line: no control characters (terminal escapes) reach the screen. */
function printable(diff: ReportDiff): ReportDiff {
  // eslint-disable-next-line no-control-regex
  return JSON.parse(JSON.stringify(diff, (_key, value: unknown) => (typeof value === 'string' ? value.replace(/[\x00-\x1f\x7f-\x9f]/g, '?') : value))) as ReportDiff;
}
