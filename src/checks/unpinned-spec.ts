import { tierLabel } from '../model/tier.js';
import { parseSpec, type ParsedSpec } from '../inventory/source.js';
import type { Finding } from '../model/finding.js';
import type { DependencyType, Importer, LockfileFormat } from '../inventory/model.js';
import { pinCommand } from './package-manager.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check } from './types.js';

/**
 * A range or tag lets `npm install` (and every fresh resolve) pick up a release published
 * minutes ago: how the March 2026 LiteLLM releases reached their victims.
 */
export const unpinnedSpec: Check<'unpinned-spec'> = {
  id: 'unpinned-spec',
  severity: 'low',
  description: 'A direct dependency is declared with a range, tag or wildcard instead of an exact version.',
  help: 'A range, dist-tag or moving git ref lets a fresh install pick up a release published after the lockfile was written. Declare the exact version (`npm install --save-exact`, `pnpm add --save-exact`, `yarn add --exact`, `bun add --exact`), above all for AI gateways and AI cost tools.',
  run({ inventory, tierOf }) {
    const findings: Finding[] = [];
    for (const importer of inventory.importers) {
      for (const dep of importer.declared) {
        if (dep.type === 'peer') continue;
        const parsed = parseSpec(dep.name, dep.spec);
        const problem = problemOf(parsed, inventory.lockfile !== null);
        if (!problem) continue;
        const tier = tierOf(parsed.target);
        const lockedVersion = dep.locked?.version ?? null;
        findings.push({
          ruleId: unpinnedSpec.id,
          severity: severityForTier(tier, { strict: 'high', ai: 'medium', other: 'low' }),
          package: { name: parsed.target, version: lockedVersion },
          message: `${tier ? `${tierLabel(tier)} ` : ''}${dep.name} is declared as "${dep.spec}" in ${dep.file}, ${problem}.`,
          remediation: remediationFor(dep.name, dep.spec, parsed, lockedVersion, pinCommandFor(inventory.lockfile?.format ?? null, importer, dep.type)),
          evidence: { spec: dep.spec, specKind: parsed.kind, dependencyType: dep.type, importer: importer.path, lockedVersion },
          location: { file: dep.file, line: dep.line },
          paths: [[importer.name, dep.name]],
          aiTier: tier,
        });
      }
    }
    return findings;
  },
};

/** `locked`: the project has a lockfile (without one, every install resolves the range afresh). */
function problemOf(parsed: ParsedSpec, locked: boolean): string | null {
  switch (parsed.kind) {
    case 'range':
      return parsed.range === '*' || parsed.range === '' || parsed.range === 'x'
        ? 'a wildcard that accepts any version ever published'
        : locked
          ? 'a range that accepts versions published after the lockfile was written'
          : 'a range that every install resolves afresh, to whatever was published last (there is no lockfile)';
    case 'tag':
      return `the dist-tag "${parsed.range}", which moves with every release`;
    case 'git':
      return parsed.pinnedCommit ? null : 'a git reference that is not a commit hash and can move';
    case 'remote':
      return 'a tarball URL whose content can change';
    default:
      return null;
  }
}

function remediationFor(name: string, spec: string, parsed: ParsedSpec, lockedVersion: string | null, pin: (spec: string) => string): string {
  if (parsed.kind === 'git') return `Pin "${name}" to a full commit hash (#<40-hex sha>) instead of "${spec}".`;
  if (parsed.kind === 'remote') return `Install "${name}" from the registry at an exact version, or vendor the tarball with its integrity.`;
  const exact = lockedVersion ?? '<exact version>';
  const pinned = parsed.target !== name ? `npm:${parsed.target}@${exact}` : exact;
  return `Pin the exact version: "${name}": "${pinned}" (${pin(`${name}@${pinned}`)}).`;
}

function pinCommandFor(format: LockfileFormat | null, importer: Importer, type: DependencyType): (spec: string) => string {
  return (spec) => pinCommand(format, importer, type, spec);
}
