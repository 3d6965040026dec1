// Shared by the benchmark's child processes (audit-child.js, baseline-child.js).
import { readFileSync } from 'node:fs';

/**
 * This process's peak resident set in KB: Linux keeps getrusage's maxRSS across the exec that
 * started it, so there it would be the bench process's own size; /proc's VmHWM starts with the process.
 */
export function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
