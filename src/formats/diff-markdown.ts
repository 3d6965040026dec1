import type { DiffPackage, DiffPackageChange, ReportDiff } from '../report/diff/model.js';
import { tierLabel } from '../model/tier.js';
import type { Finding } from '../report/model.js';
import { compareSeverity } from '../model/severity.js';
import { cell, code, table } from './markdown-text.js';

/** A reviewer reads the table in ten seconds; the rest is in the JSON and SARIF reports. */
const MAX_ROWS = 30;

type Baselined = Finding & { baselineState?: string };

/** What the pull request changes: the first thing in the Markdown output when there is a base. */
export function diffMarkdownSection(diff: ReportDiff, findings: Baselined[]): string {
  const fresh = findings.filter((finding) => finding.baselineState === 'new' && !finding.suppressed).sort((a, b) => compareSeverity(a.severity, b.severity));
  const onRow = new Set<Baselined>();
  const findingsOf = (name: string, version: string): string => {
    const mine = fresh.filter((finding) => finding.package?.name === name && finding.package.version === version);
    for (const finding of mine) onRow.add(finding);
    return mine.length === 0 ? '' : mine.map((finding) => `**${finding.severity}** ${code(finding.ruleId)}`).join('<br>');
  };
  const rows: string[][] = [
    ...diff.packages.added.map((pkg) => ['added', code(`${pkg.name}@${pkg.version}`), describeAdded(pkg), findingsOf(pkg.name, pkg.version)]),
    ...diff.packages.changed.map((change) => ['changed', code(change.name), describeChange(change), findingsOf(change.name, change.to.version)]),
    ...diff.packages.removed.map((pkg) => ['removed', code(`${pkg.name}@${pkg.version}`), '', '']),
    ...diff.aiTools.added.map((tool) => ['AI tool added', code(`${tool.name}${tool.version ? `@${tool.version}` : ''}`), `${cell(tool.tool)} (${tierLabel(tool.tier)})`, '']),
    ...diff.aiTools.removed.map((tool) => ['AI tool removed', code(`${tool.name}${tool.version ? `@${tool.version}` : ''}`), `${cell(tool.tool)} (${tierLabel(tool.tier)})`, '']),
    ...diff.aiRoutes.added.map((route) => ['AI route added', code(route.from), `via ${cell(route.via)}`, '']),
    ...diff.aiRoutes.removed.map((route) => ['AI route removed', code(route.from), `via ${cell(route.via)}`, '']),
  ];
  // new findings on packages that stayed as they were (another policy, a registry fact) still need a line
  const elsewhere = fresh.filter((finding) => !onRow.has(finding));
  const lines = [`### What this pull request changes`, '', summaryLine(diff)];
  if (rows.length > 0) {
    lines.push('', table(['', 'package', 'change', 'new findings'], rows.slice(0, MAX_ROWS)));
    if (rows.length > MAX_ROWS) lines.push('', `…and ${rows.length - MAX_ROWS} more changes: see the JSON report.`);
  } else {
    lines.push('', 'No package, AI tool or AI route changes.');
  }
  if (elsewhere.length > 0) {
    lines.push('', `New findings outside the changed packages:`, '');
    for (const finding of elsewhere.slice(0, MAX_ROWS)) {
      const subject = finding.package ? ` ${code(`${finding.package.name}${finding.package.version ? `@${finding.package.version}` : ''}`)}` : '';
      lines.push(`- **${finding.severity}** ${code(finding.ruleId)}${subject}: ${cell(finding.message)}`);
    }
    if (elsewhere.length > MAX_ROWS) lines.push(`- …and ${elsewhere.length - MAX_ROWS} more`);
  }
  return lines.join('\n');
}

function summaryLine(diff: ReportDiff): string {
  const { summary, base } = diff;
  const against = base.commit ? `${code(base.ref)} (${code(base.commit.slice(0, 12))})` : code(base.ref);
  const packages = `**${summary.packagesAdded} added, ${summary.packagesChanged} changed, ${summary.packagesRemoved} removed**`;
  const ai = `AI tools +${summary.aiToolsAdded} −${summary.aiToolsRemoved}, routes +${summary.aiRoutesAdded} −${summary.aiRoutesRemoved}`;
  const findings = `**${summary.newFindings} new ${summary.newFindings === 1 ? 'finding' : 'findings'}** (${summary.unchangedFindings} already at the base, ${summary.absentFindings} gone)`;
  return `Against ${against}: ${packages} · ${ai} · ${findings}`;
}

function describeAdded(pkg: DiffPackage): string {
  const role = pkg.direct ? (pkg.dev ? 'direct, dev' : 'direct') : pkg.dev ? 'transitive, dev' : 'transitive';
  return pkg.source === 'registry' ? role : `${role}, from ${pkg.source}${pkg.host ? ` ${code(pkg.host)}` : ''}`;
}

function describeChange(change: DiffPackageChange): string {
  const parts: string[] = [];
  if (change.changed.includes('version')) parts.push(`${code(change.from.version)} → ${code(change.to.version)}`);
  if (change.changed.includes('source')) parts.push(`${change.from.source} → ${change.to.source}`);
  if (change.changed.includes('host')) parts.push(`host ${code(change.from.host ?? 'none')} → ${code(change.to.host ?? 'none')}`);
  if (change.changed.includes('integrity')) parts.push(`⚠️ integrity changed for the same version ${code(change.to.version)}`);
  return parts.join('<br>');
}
