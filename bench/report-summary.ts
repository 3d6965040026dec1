// What the bench prints of an audit's JSON report, read once the run is timed (see audit-child.js).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

let next = 0;

/** A file for the next audit's report (the child writes it, `withReportSummary` reads and removes it). */
export function reportFileFor(): string {
  return join(tmpdir(), `aca-bench-report-${process.pid}-${next++}.json`);
}

export function withReportSummary(result: Record<string, unknown>): Record<string, unknown> {
  if (typeof result.reportFile !== 'string') return result;
  const text = readFileSync(result.reportFile, 'utf8');
  rmSync(result.reportFile, { force: true });
  try {
    const report = JSON.parse(text) as { summary: Record<string, unknown>; errors: unknown[] };
    return { ...result, summary: { packages: report.summary.packages, findings: report.summary.findings, byRule: report.summary.byRule, errors: report.errors.length, firstErrors: report.errors.slice(0, 3) } };
  } catch {
    return { ...result, summary: { unparsable: text.slice(0, 200) } };
  }
}
