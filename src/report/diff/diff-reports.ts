import type { Finding, Report } from '../model.js';
import { diffAiRoutes, diffAiTools } from './ai.js';
import { findingFingerprint } from './fingerprint.js';
import { countsForGate } from './gate.js';
import type { BaselineState, ReportDiff } from './model.js';
import { diffPackages } from './packages.js';

export type BaselinedFinding = Finding & { baselineState: BaselineState };

export interface ReportsDiff {
  diff: ReportDiff;
  /** The head's findings in their order, each marked new or unchanged. */
  findings: BaselinedFinding[];
}

export interface BaseInfo {
  ref: string;
  commit: string | null;
  /** Which findings the gate counts (default `new`). */
  gate?: ReportDiff['gate'];
}

/**
 * What the head changes against the base. Findings are matched by fingerprint as multisets:
 * two identical findings at base and three at head leave one new.
 */
export function diffReports(base: Report, head: Report, info: BaseInfo = { ref: 'base', commit: null }): ReportsDiff {
  const waiting = new Map<string, Finding[]>();
  for (const finding of base.findings) {
    const key = findingFingerprint(finding);
    waiting.set(key, [...(waiting.get(key) ?? []), finding]);
  }
  const findings: BaselinedFinding[] = head.findings.map((finding) => {
    const matches = waiting.get(findingFingerprint(finding));
    return { ...finding, baselineState: matches?.shift() ? 'unchanged' : 'new' };
  });
  // what an allow-list accepts is not what a reviewer is asked about: the counts and the absent list leave it out
  const absentFindings = [...waiting.values()].flat().filter((finding) => !finding.suppressed).map((finding) => ({ ...finding, baselineState: 'absent' as const }));
  const counted = findings.filter((finding) => !finding.suppressed);
  const packages = diffPackages(base.packages, head.packages);
  const aiTools = diffAiTools(base.aiTools, head.aiTools);
  const aiRoutes = diffAiRoutes(base.aiTools, head.aiTools);
  const diff: ReportDiff = {
    base: { ref: info.ref, commit: info.commit, lockfile: base.project.lockfile, lockfileFormat: base.project.lockfileFormat },
    gate: info.gate ?? 'new',
    summary: {
      packagesAdded: packages.added.length,
      packagesRemoved: packages.removed.length,
      packagesChanged: packages.changed.length,
      aiToolsAdded: aiTools.added.length,
      aiToolsRemoved: aiTools.removed.length,
      aiRoutesAdded: aiRoutes.added.length,
      aiRoutesRemoved: aiRoutes.removed.length,
      newFindings: counted.filter((finding) => finding.baselineState === 'new').length,
      unchangedFindings: counted.filter((finding) => finding.baselineState === 'unchanged').length,
      absentFindings: absentFindings.length,
    },
    packages,
    aiTools,
    aiRoutes,
    absentFindings,
  };
  return { diff, findings };
}

/**
 * The gate with a base: only new findings at or above the threshold fail it, unless existing
 * ones are to count too (`--fail-on-existing`). An incomplete audit still never passes.
 */
export function passesWithBaseline(report: Report, findings: Finding[], failOnExisting: boolean): boolean {
  const gated = findings.some((finding) => countsForGate(finding, report.summary.failOn, failOnExisting ? 'all' : 'new'));
  return !gated && report.summary.errors === 0;
}
