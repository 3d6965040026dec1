import type { Finding } from '../model/finding.js';
import { addedInstallScripts, registrySubjects } from './registry-subjects.js';
import type { Check } from './types.js';

/** The 2025 npm worms spread through install scripts added to hijacked releases of script-free packages. */
export const installScriptAdded: Check<'install-script-added'> = {
  id: 'install-script-added',
  severity: 'high',
  description: 'This version adds install scripts that the previous version did not have.',
  help: 'This version adds install scripts the previous version did not have, a common pattern of hijacked releases. Review the scripts before adopting the version, or stay on the previous one.',
  run(context) {
    const findings: Finding[] = [];
    for (const { pkg, facts, base } of registrySubjects(context)) {
      if (facts.status !== 'ok' || !facts.previous) continue;
      const added = addedInstallScripts(facts);
      if (!added || Object.keys(added).length === 0) continue;
      const list = Object.entries(added).map(([name, command]) => `${name}: "${command}"`).join(', ');
      findings.push({
        ruleId: installScriptAdded.id,
        severity: installScriptAdded.severity,
        ...base,
        message: `${pkg.name}@${pkg.version} runs ${list} on install, which the previous version ${facts.previous.version} did not.`,
        remediation: `Read what the script does before installing; pin ${pkg.name} to ${facts.previous.version} meanwhile, and install with --ignore-scripts where you can.`,
        evidence: { added, previousVersion: facts.previous.version, previousInstallScripts: facts.previous.installScripts },
      });
    }
    return findings;
  },
};
