import type { Check } from './types.js';

export const lockfileMissing: Check = {
  id: 'lockfile-missing',
  run({ inventory }) {
    if (inventory.lockfile) return [];
    const declared = inventory.importers.reduce((count, importer) => count + importer.declared.length, 0);
    return [
      {
        ruleId: 'lockfile-missing',
        severity: 'high',
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
