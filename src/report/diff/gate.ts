import { atLeast, type FailOn } from '../../model/severity.js';
import type { Finding } from '../model.js';
import type { ReportDiff } from './model.js';

/** Whether a finding fails the gate: at or above the threshold, not suppressed, and new unless the gate counts all. */
export function countsForGate(finding: Finding, failOn: FailOn, gate: ReportDiff['gate'] = 'all'): boolean {
  return !finding.suppressed && (gate === 'all' || finding.baselineState === 'new') && atLeast(finding.severity, failOn);
}
