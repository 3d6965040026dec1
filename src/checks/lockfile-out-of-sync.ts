import satisfies from 'semver/functions/satisfies.js';
import { parseSpec, type ParsedSpec } from '../inventory/source.js';
import type { DeclaredDependency } from '../inventory/model.js';
import type { Finding } from '../model/finding.js';
import { frozenInstallCommand, installCommand } from './package-manager.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

/** `npm ci` refuses such a lockfile, and `npm install` resolves the difference afresh. */
export const lockfileOutOfSync: Check<'lockfile-out-of-sync'> = {
  id: 'lockfile-out-of-sync',
  severity: 'high',
  description: 'package.json asks for something the lockfile does not hold.',
  help: 'package.json asks for a package or range the lockfile does not hold, so the next install resolves it afresh. Run the package manager locally to update the lockfile, review the diff and commit it.',
  run({ inventory, tierOf }) {
    if (!inventory.lockfile) return [];
    const lockfile = inventory.lockfile.file;
    const findings: Finding[] = [];
    for (const importer of inventory.importers) {
      for (const dep of importer.declared) {
        if (dep.type === 'peer') continue;
        const parsed = parseSpec(dep.name, dep.spec);
        if (parsed.kind === 'workspace' || parsed.kind === 'invalid') continue;
        const problem = mismatch(dep, parsed);
        if (!problem) continue;
        const tier = tierOf(parsed.target);
        findings.push({
          ruleId: lockfileOutOfSync.id,
          severity: severityForTier(tier, { strict: 'high', ai: 'medium', other: 'medium' }),
          package: { name: parsed.target, version: dep.locked?.version ?? null },
          message: `${dep.file} asks for ${dep.name}@"${dep.spec}" but ${lockfile} ${problem}.`,
          remediation: `Run ${installCommand(inventory.lockfile?.format ?? null)} to update ${lockfile}, review the diff, and commit it; install with ${frozenInstallCommand(inventory.lockfile?.format ?? null)} in CI.`,
          evidence: { spec: dep.spec, importer: importer.path, locked: dep.locked },
          location: { file: dep.file, line: dep.line },
          paths: [[importer.name, dep.name]],
          aiTier: tier,
        });
      }
    }
    return findings;
  },
};

function mismatch(dep: DeclaredDependency, parsed: ParsedSpec): string | null {
  const locked = dep.locked;
  if (!locked) return 'holds no entry for it';
  if (locked.name !== parsed.target) return `locks ${locked.name}@${locked.version} under that name`;
  switch (parsed.kind) {
    case 'exact':
    case 'range': {
      // a workspace of the project satisfies a plain range by linking, as npm and yarn 1 do
      if (locked.workspace !== undefined) return workspaceMismatch(locked.version, parsed.range ?? '*');
      if (locked.source !== 'registry') return `locks it from a ${locked.source} source`;
      const range = parsed.range ?? '*';
      if (range === '' || range === '*') return null;
      return satisfies(locked.version, range, { loose: true, includePrerelease: true })
        ? null
        : `locks version ${locked.version}, outside that range`;
    }
    case 'git':
      return locked.source === 'git' ? null : `locks it from a ${locked.source} source`;
    case 'remote':
      return locked.source === 'remote' ? null : `locks it from a ${locked.source} source`;
    case 'file':
    case 'directory':
      return locked.source === 'file' || locked.source === 'directory' ? null : `locks it from a ${locked.source} source`;
    default:
      return null;
  }
}

function workspaceMismatch(version: string, range: string): string | null {
  if (range === '' || range === '*' || !version) return null;
  return satisfies(version, range, { loose: true, includePrerelease: true }) ? null : `links the workspace at version ${version}, outside that range`;
}
