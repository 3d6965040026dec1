import { isStrictTier, tierLabel, type AiTier } from '../model/tier.js';
import { describeCooldown } from '../policy/cooldown.js';
import { formatDuration } from '../policy/duration.js';
import { releaseWindow, type ReleaseWindow } from '../policy/release-window.js';
import type { Finding } from '../model/finding.js';
import { registrySubjects, type RegistrySubject } from './registry-subjects.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

/**
 * Hijacked releases are usually caught and removed within hours: a version younger than its
 * window is exactly what a release-age cool-down exists to keep out.
 */
export const recentRelease: Check<'recent-release'> = {
  id: 'recent-release',
  severity: 'high',
  description: 'The locked version was published less than the minimum release age ago.',
  help: 'Malicious releases are usually found and removed within hours or days. Wait until the locked version is older than the minimum release age before adopting it, or pin the previous version.',
  run(context) {
    const findings: Finding[] = [];
    for (const subject of registrySubjects(context)) {
      const { pkg, facts, tier, base } = subject;
      if (facts.status !== 'ok' || !facts.locked) continue;
      const publishedAt = facts.locked.publishedAt;
      const window = releaseWindow(pkg.name, tier, context.policy, context.cooldown ?? null);
      const published = publishedAt ? Date.parse(publishedAt) : NaN;
      if (Number.isNaN(published)) {
        const unknown = unknownAge(subject, window, context.now);
        if (unknown) findings.push(unknown);
        continue;
      }
      const age = context.now.getTime() - published;
      if (age >= window.ms) continue;
      const waitUntil = new Date(published + window.ms).toISOString();
      const previous = facts.previous?.version ?? null;
      const when = age < 0 ? `${formatDuration(-age)} after the evaluation time` : `${formatDuration(age)} ago`;
      const bypassed = window.cooldown !== null && age < window.cooldown.ms;
      findings.push({
        ruleId: recentRelease.id,
        severity: recentRelease.severity,
        ...base,
        message:
          `${tier ? `${tierLabel(tier)} ` : ''}${pkg.name}@${pkg.version} was published ${when}, on ${publishedAt}; wait until ${waitUntil}` +
          `${previous ? ` or pin the previous version ${previous}` : ''} (release-age window ${formatDuration(window.ms)}${windowReason(window.source, tier)}).` +
          (bypassed && window.cooldown
            ? ` It is younger than the project's own cool-down (${describeCooldown(window.cooldown)}), so something bypassed that gate: an install without the setting, a package manager too old to know it, or a hand-edited lockfile.`
            : ''),
        remediation: previous
          ? `Pin ${pkg.name} to ${previous} (or another release older than the window) and reinstall, or wait until ${waitUntil} and re-run the audit.`
          : `Wait until ${waitUntil} and re-run the audit before installing this version anywhere that holds secrets.`,
        evidence: {
          publishedAt,
          ageMs: age,
          windowMs: window.ms,
          windowSource: window.source,
          waitUntil,
          previousVersion: previous,
          projectCooldown: window.cooldown ? { manager: window.cooldown.manager, setting: window.cooldown.setting, file: window.cooldown.file, ms: window.cooldown.ms } : null,
          cooldownBypassed: bypassed,
        },
      });
    }
    return findings;
  },
};

/**
 * Without a publish time, the document's `modified` time bounds the age from above: a document
 * unchanged since before the window opened holds no version inside it. Otherwise the age is
 * unknown, and saying nothing would read as "old enough".
 */
function unknownAge({ pkg, facts, tier, base }: RegistrySubject, window: ReleaseWindow, now: Date): Finding | null {
  const modified = facts.modified ?? null;
  const modifiedAt = modified ? Date.parse(modified) : NaN;
  if (!Number.isNaN(modifiedAt) && now.getTime() - modifiedAt >= window.ms) return null;
  const since = now.getTime() - modifiedAt;
  const changed = Number.isNaN(modifiedAt) ? '' : ` and its document changed ${since < 0 ? `${formatDuration(-since)} after the evaluation time` : `${formatDuration(since)} ago`}, on ${modified}`;
  return {
    ruleId: recentRelease.id,
    severity: severityForTier(tier, { strict: 'high', ai: 'medium', other: 'medium' }),
    ...base,
    message:
      `${tier ? `${tierLabel(tier)} ` : ''}${pkg.name}@${pkg.version}: the registry gives no usable publish time for this version${changed}, so whether it is younger than its ` +
      `release-age window (${formatDuration(window.ms)}${windowReason(window.source, tier)}) could not be checked.`,
    remediation: `Look up when ${pkg.name}@${pkg.version} was published (the registry's time field, e.g. npm view ${pkg.name} time) before trusting it${facts.previous ? `, or pin ${facts.previous.version}` : ''}.`,
    evidence: {
      publishedAt: null,
      publishedBefore: modified,
      ageMs: null,
      windowMs: window.ms,
      windowSource: window.source,
      waitUntil: null,
      previousVersion: facts.previous?.version ?? null,
      projectCooldown: window.cooldown ? { manager: window.cooldown.manager, setting: window.cooldown.setting, file: window.cooldown.file, ms: window.cooldown.ms } : null,
      cooldownBypassed: null,
    },
  };
}

function windowReason(source: ReleaseWindow['source'], tier: AiTier | null): string {
  if (source === 'project') return ", the project's own cool-down";
  if (source === 'tier' && isStrictTier(tier)) return ' for AI gateways and AI cost tools';
  if (source === 'tier' && tier) return ` for ${tierLabel(tier)}s`;
  return '';
}
