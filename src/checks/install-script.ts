import type { Finding } from '../model/finding.js';
import { addedInstallScripts, registrySubjects } from './registry-subjects.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

/** Install scripts run with the installing user's rights before any code review; worth knowing about each one. */
export const installScript: Check<'install-script'> = {
  id: 'install-script',
  severity: 'low',
  description: 'The package runs preinstall, install or postinstall scripts.',
  help: 'Install scripts run with your privileges on every install. Keep `ignore-scripts=true` in `.npmrc` and allow the few packages that need a build step explicitly.',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, tier, base } of registrySubjects(context)) {
      const scripts = facts.status === 'ok' ? facts.locked?.installScripts : null;
      if (!scripts || Object.keys(scripts).length === 0) continue;
      // reported once, by install-script-added, when the scripts are new in this version
      const added = addedInstallScripts(facts);
      if (added && Object.keys(added).length > 0) continue;
      const list = Object.entries(scripts).map(([name, command]) => `${name}: "${command}"`).join(', ');
      const previous = facts.previous;
      const before = !previous ? '' : previous.installScripts ? ` (as did ${previous.version})` : ` (whether ${previous.version} ran install scripts is unknown)`;
      findings.push({
        ruleId: installScript.id,
        severity: severityForTier(tier, { strict: 'medium', ai: 'low', other: 'low' }),
        ...base,
        message: `${pkg.name}@${pkg.version} runs ${list} on install${before}.`,
        remediation: `Install with --ignore-scripts (or an allow-list of packages that may run scripts) unless ${pkg.name} needs its script to work.`,
        evidence: { installScripts: scripts, previousVersion: previous?.version ?? null, previousInstallScripts: previous?.installScripts ?? null },
      });
    }
    return findings;
  },
};
