import type { LockedPackage, LockfileFormat } from '../inventory/model.js';
import type { Finding } from '../model/finding.js';
import type { PackageFacts } from '../registry/facts/model.js';
import { addedInstallScripts } from './registry-subjects.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

/** The lockfile field that says a package has install scripts, by format (yarn, bun and pnpm 9+ record none). */
const LOCKFILE_FIELD: Partial<Record<LockfileFormat, string>> = { npm: 'hasInstallScript', pnpm: 'requiresBuild' };

/**
 * Install scripts run with the installing user's rights before any code review; worth knowing
 * about each one. Two witnesses, either enough: the registry's document (which scripts) and the
 * lockfile's own flag, which still speaks when the registry facts are unavailable.
 */
export const installScript: Check<'install-script'> = {
  id: 'install-script',
  severity: 'low',
  description: 'The package runs preinstall, install or postinstall scripts.',
  help: 'Install scripts run with your privileges on every install. Keep `ignore-scripts=true` in `.npmrc` and allow the few packages that need a build step explicitly.',
  run({ inventory, facts: registry, tierOf }) {
    const findings: Finding[] = [];
    const lockfile = inventory.lockfile;
    const field = lockfile ? (LOCKFILE_FIELD[lockfile.format] ?? null) : null;
    for (const pkg of inventory.packages) {
      const facts = registry?.packages.get(pkg.id) ?? null;
      const scripts = facts?.status === 'ok' ? (facts.locked?.installScripts ?? null) : null;
      const fromRegistry = scripts !== null && Object.keys(scripts).length > 0;
      const fromLockfile = pkg.hasInstallScript === true;
      if (!fromRegistry && !fromLockfile) continue;
      // reported once, by install-script-added, when the scripts are new in this version
      const added = facts ? addedInstallScripts(facts) : null;
      if (fromRegistry && added && Object.keys(added).length > 0) continue;
      const tier = tierOf(pkg.name);
      const sources = [...(fromLockfile ? [`lockfile (${field ?? 'install scripts'})`] : []), ...(fromRegistry ? [`registry (${facts?.document ?? 'document'})`] : [])];
      findings.push({
        ruleId: installScript.id,
        severity: severityForTier(tier, { strict: 'medium', ai: 'low', other: 'low' }),
        package: { name: pkg.name, version: pkg.version },
        message: fromRegistry ? registryMessage(pkg, scripts, facts) : lockfileMessage(pkg, lockfile?.file ?? 'the lockfile', field, scripts, facts),
        remediation: `Install with --ignore-scripts (or an allow-list of packages that may run scripts) unless ${pkg.name} needs its script to work.`,
        evidence: {
          installScripts: fromRegistry ? scripts : null,
          sources,
          lockfileHasInstallScript: pkg.hasInstallScript,
          registryInstallScripts: scripts,
          factsStatus: facts?.status ?? 'not-gathered',
          previousVersion: facts?.previous?.version ?? null,
          previousInstallScripts: facts?.previous?.installScripts ?? null,
        },
        location: lockfile ? { file: lockfile.file, line: pkg.lockfileLine } : null,
        paths: pkg.paths,
        aiTier: tier,
      });
    }
    return findings;
  },
};

function registryMessage(pkg: LockedPackage, scripts: Record<string, string>, facts: PackageFacts | null): string {
  const list = Object.entries(scripts).map(([name, command]) => `${name}: "${command}"`).join(', ');
  const previous = facts?.previous;
  const before = !previous ? '' : previous.installScripts ? ` (as did ${previous.version})` : ` (whether ${previous.version} ran install scripts is unknown)`;
  return `${pkg.name}@${pkg.version} runs ${list} on install${before}.`;
}

function lockfileMessage(pkg: LockedPackage, file: string, field: string | null, scripts: Record<string, string> | null, facts: PackageFacts | null): string {
  const recorded = `${file} records install scripts for ${pkg.name}@${pkg.version}${field ? ` (${field})` : ''}`;
  if (scripts) return `${recorded}, though the registry's document shows none (its scripts field may be stripped, or the lockfile came from another registry): assume they run on install.`;
  const why = !facts ? 'registry facts were not gathered' : facts.status === 'ok' ? 'the registry document does not say' : `registry facts are unavailable (${facts.status}${facts.error ? `: ${facts.error}` : ''})`;
  return `${recorded}; which scripts is unknown because ${why}. They run on install.`;
}
