import { isStrictTier, tierLabel, type AiTier } from '../ai/tiers.js';
import { describeCooldown } from '../registry/cooldown.js';
import { formatDuration } from '../registry/duration.js';
import { releaseWindow, type ReleaseWindow } from '../registry/release-window.js';
import type { Finding } from '../report/model.js';
import { registrySubjects } from './registry-subjects.js';
import type { Check } from './types.js';

/**
 * Hijacked releases are usually caught and removed within hours: a version younger than its
 * window is exactly what a release-age cool-down exists to keep out.
 */
export const recentRelease: Check = {
  id: 'recent-release',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, tier, base } of registrySubjects(context)) {
      const publishedAt = facts.status === 'ok' ? facts.locked?.publishedAt : null;
      if (!publishedAt) continue;
      const window = releaseWindow(pkg.name, tier, context.policy, context.cooldown ?? null);
      const published = Date.parse(publishedAt);
      const age = context.now.getTime() - published;
      if (age >= window.ms) continue;
      const waitUntil = new Date(published + window.ms).toISOString();
      const previous = facts.previous?.version ?? null;
      const when = age < 0 ? `${formatDuration(-age)} after the evaluation time` : `${formatDuration(age)} ago`;
      const bypassed = window.cooldown !== null && age < window.cooldown.ms;
      findings.push({
        ruleId: 'recent-release',
        severity: 'high',
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

function windowReason(source: ReleaseWindow['source'], tier: AiTier | null): string {
  if (source === 'project') return ", the project's own cool-down";
  if (source === 'tier' && isStrictTier(tier)) return ' for AI gateways and AI cost tools';
  if (source === 'tier' && tier) return ` for ${tierLabel(tier)}s`;
  return '';
}
