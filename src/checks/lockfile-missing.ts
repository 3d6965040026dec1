import type { Check } from './types.js';

export const lockfileMissing: Check<'lockfile-missing'> = {
  id: 'lockfile-missing',
  severity: 'high',
  description: 'No lockfile: every install resolves dependency versions afresh.',
  help: 'Without a lockfile every install resolves versions afresh and can pick up a release published minutes ago. Commit the lockfile of your package manager and install with `npm ci` (or its equivalent) in CI.',
  run({ inventory }) {
    if (inventory.lockfile) return [];
    const declared = inventory.importers.reduce((count, importer) => count + importer.declared.length, 0);
    return [
      {
        ruleId: lockfileMissing.id,
        severity: lockfileMissing.severity,
        package: null,
        message: `No lockfile: the ${declared} declared dependencies and everything below them resolve afresh on every install.`,
        remediation: 'Generate a lockfile (npm install --package-lock-only), commit it, and install with npm ci.',
        evidence: { declaredDependencies: declared },
        location: { file: 'package.json', line: null },
        paths: [],
        aiTier: null,
      },
    ];
  },
};
