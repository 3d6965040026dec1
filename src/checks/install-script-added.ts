import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import type { PackageFacts } from '../registry/facts/model.js';
import { addedInstallScripts, registrySubjects } from './registry-subjects.js';
import type { Check } from './types.js';

const DAY_MS = 86_400_000;
/**
 * A hijacked release lives hours or days before it is removed; 90 days is far past that, so an
 * unnoticed one still fails the gate weeks later. A script that came years ago and has been
 * installed ever since (fsevents 1.2.13, 2020) is a fact to know, not an alarm.
 */
export const INSTALL_SCRIPT_ADDED_WINDOW_DAYS = 90;

/** The 2025 npm worms spread through install scripts added to hijacked releases of script-free packages. */
export const installScriptAdded: Check<'install-script-added'> = {
  id: 'install-script-added',
  severity: 'high',
  description: 'This version adds install scripts that the previous version did not have.',
  help: 'This version adds install scripts the previous version did not have, a common pattern of hijacked releases. High while the release is under 90 days old (or its age is unknown), low after that. Review the scripts before adopting the version, or stay on the previous one.',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, base } of registrySubjects(context)) {
      if (facts.status !== 'ok' || !facts.previous) continue;
      const added = addedInstallScripts(facts);
      if (!added || Object.keys(added).length === 0) continue;
      const list = Object.entries(added).map(([name, command]) => `${name}: "${command}"`).join(', ');
      const age = releaseAge(facts, context.now);
      findings.push({
        ruleId: installScriptAdded.id,
        severity: age.severity,
        ...base,
        message: `${pkg.name}@${pkg.version} runs ${list} on install, which the previous version ${facts.previous.version} did not; ${age.words}.`,
        remediation: age.old
          ? `Nothing urgent: the script has shipped since ${age.since}. Install with --ignore-scripts where you can, allowing ${pkg.name} only if it needs its script.`
          : `Read what the script does before installing; pin ${pkg.name} to ${facts.previous.version} meanwhile, and install with --ignore-scripts where you can.`,
        evidence: {
          added,
          previousVersion: facts.previous.version,
          previousInstallScripts: facts.previous.installScripts,
          publishedAt: facts.locked?.publishedAt ?? null,
          publishedBefore: facts.locked?.publishedAt ? null : (facts.modified ?? null),
          windowDays: INSTALL_SCRIPT_ADDED_WINDOW_DAYS,
        },
      });
    }
    return findings;
  },
};

interface Age {
  severity: Severity;
  old: boolean;
  since: string;
  words: string;
}

/** High inside the window or when the release's age is unknown (fail closed); low once it is past. */
function releaseAge(facts: PackageFacts, now: Date): Age {
  const windowMs = INSTALL_SCRIPT_ADDED_WINDOW_DAYS * DAY_MS;
  const publishedAt = facts.locked?.publishedAt ?? null;
  const at = publishedAt ? Date.parse(publishedAt) : NaN;
  if (!Number.isNaN(at)) {
    const days = Math.floor((now.getTime() - at) / DAY_MS);
    const since = publishedAt?.slice(0, 10) ?? '';
    const old = now.getTime() - at > windowMs;
    return { severity: old ? 'low' : 'high', old, since, words: `the script was added in this release, published ${since} (${days} day${days === 1 ? '' : 's'} ago)` };
  }
  // the abbreviated document has no publish times, but every version predates its `modified`
  const before = facts.modified ? Date.parse(facts.modified) : NaN;
  if (!Number.isNaN(before) && now.getTime() - before > windowMs) {
    const since = facts.modified?.slice(0, 10) ?? '';
    return { severity: 'low', old: true, since, words: `the script was added in this release, published before ${since}` };
  }
  return { severity: 'high', old: false, since: '', words: `when this release was published is unknown, so it may be inside its first ${INSTALL_SCRIPT_ADDED_WINDOW_DAYS} days` };
}
