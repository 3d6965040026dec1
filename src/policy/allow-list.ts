import satisfies from 'semver/functions/satisfies.js';
import validVersion from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import type { AllowEntry } from './policy.js';
import type { Finding } from '../model/finding.js';
import type { RuleId } from '../model/rule-id.js';

/** An allow-list entry of the policy and what it did in this run. */
export interface AllowListEntryReport {
  rule: RuleId;
  package: string | null;
  version: string | null;
  reason: string;
  expires: string | null;
  /** `expired`: past its date; it suppresses nothing and the findings it matches count again. */
  status: 'active' | 'expired';
  /** Findings of this run the entry matches (suppressed when active). */
  matches: number;
}

export interface AllowListResult {
  findings: Finding[];
  allowList: AllowListEntryReport[];
  notices: string[];
}

/**
 * Marks the findings a live allow-list entry accepts as suppressed. An expired entry
 * suppresses nothing: its findings count for the gate again and a notice says so.
 */
export function applyAllowList(findings: Finding[], allow: readonly AllowEntry[], now: Date): AllowListResult {
  const live = allow.map((entry) => isLive(entry, now));
  const matches = allow.map(() => 0);
  const marked = findings.map((finding): Finding => {
    let suppressed: Finding['suppressed'] = null;
    allow.forEach((entry, index) => {
      if (!matchesFinding(entry, finding)) return;
      matches[index] = (matches[index] ?? 0) + 1;
      if (live[index] && !suppressed) suppressed = { reason: entry.reason, expires: entry.expires };
    });
    return { ...finding, suppressed };
  });
  const allowList = allow.map((entry, index): AllowListEntryReport => ({
    ...entry,
    status: live[index] ? 'active' : 'expired',
    matches: matches[index] ?? 0,
  }));
  return { findings: marked, allowList, notices: allowList.flatMap(noticeOf) };
}

export function isLive(entry: AllowEntry, now: Date): boolean {
  return entry.expires === null || now.getTime() < Date.parse(`${entry.expires}T00:00:00Z`);
}

export function matchesFinding(entry: AllowEntry, finding: Finding): boolean {
  if (entry.rule !== finding.ruleId) return false;
  if (entry.package !== null && entry.package !== finding.package?.name) return false;
  if (entry.version === null) return true;
  const version = finding.package?.version ?? null;
  if (version === null) return false;
  if (version === entry.version) return true;
  return validVersion(version) !== null && validRange(entry.version) !== null && satisfies(version, entry.version, { includePrerelease: true });
}

function noticeOf(entry: AllowListEntryReport): string[] {
  const subject = `${entry.rule}${entry.package ? ` ${entry.package}${entry.version ? `@${entry.version}` : ''}` : ''}`;
  if (entry.status === 'expired') {
    const effect = entry.matches > 0 ? `it no longer suppresses ${plural(entry.matches, 'finding')}` : 'it matches no finding any more; remove it';
    return [`Allow-list entry ${subject} expired on ${entry.expires}: ${effect} (reason was: ${entry.reason}).`];
  }
  if (entry.matches === 0) return [`Allow-list entry ${subject} matches no finding; remove it if the problem is gone.`];
  return [];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
