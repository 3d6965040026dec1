import type { Report } from '../report/model.js';

const MAX_SHOWN = 20;

/**
 * What could not be determined also goes to stderr when the text report is not on stdout
 * (JSON/SARIF piped elsewhere, or written to files), so a CI log always names it.
 */
export function reportErrorsOnStderr(report: Report, targets: Array<{ format: string; file: string | null }>, io: { stderr: (text: string) => void }): void {
  if (report.errors.length === 0 || targets.some((target) => target.file === null && target.format === 'text')) return;
  for (const error of report.errors.slice(0, MAX_SHOWN)) io.stderr(`ai-chain-audit: ${error.scope}: ${error.message}\n`);
  if (report.errors.length > MAX_SHOWN) io.stderr(`ai-chain-audit: … and ${report.errors.length - MAX_SHOWN} more (see errors[] in the report)\n`);
}
