import { describe, expect, it } from 'vitest';
import { installScript } from '../../src/checks/install-script.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { failedFacts, packageFacts, runCheck, versionFacts } from '../helpers/facts.js';
import { context, inventory, lockedPackage } from '../helpers/inventory.js';

type Scripts = Record<string, string> | null;

/** `name@2.0.0` after 1.9.0, which had the same install scripts unless told otherwise (`none`: a first release). */
function facts(name: string, locked: Scripts, previous: Scripts | 'none' = locked && { ...locked }): PackageFacts {
  const earlier = previous === 'none' ? [] : [versionFacts('1.9.0', { installScripts: previous })];
  return packageFacts(name, '2.0.0', { locked: { installScripts: locked }, earlier });
}

const run = (f: PackageFacts) => runCheck(installScript, [{ facts: f }]);
const POSTINSTALL = { postinstall: 'node install.js' };

describe('install-script', () => {
  it.each([
    ['an AI gateway', 'portkey-ai', 'medium'],
    ['an AI cost tool', '@helicone/helpers', 'medium'],
    ['an AI provider SDK', 'openai', 'low'],
    ['an AI framework', 'ai', 'low'],
    ['any other package', 'esbuild', 'low'],
  ])('is reported for %s at %s', (_label, name, severity) => {
    const findings = run(facts(name, POSTINSTALL));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'install-script',
      severity,
      package: { name, version: '2.0.0' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { installScripts: POSTINSTALL, previousVersion: '1.9.0' },
    });
  });

  it('quotes every script and says the previous version ran them too', () => {
    const scripts = { preinstall: 'node check.js', install: 'node-gyp rebuild' };
    expect(run(facts('esbuild', scripts))[0]?.message).toBe('esbuild@2.0.0 runs preinstall: "node check.js", install: "node-gyp rebuild" on install (as did 1.9.0).');
  });

  it('says nothing of a previous version when there is none', () => {
    expect(run(facts('esbuild', POSTINSTALL, 'none'))[0]?.message).toBe('esbuild@2.0.0 runs postinstall: "node install.js" on install.');
  });

  it('does not claim the previous version ran scripts when its scripts are unknown', () => {
    const [finding] = run(facts('esbuild', POSTINSTALL, null));
    expect(finding?.message).not.toContain('as did');
    expect(finding?.message).toContain('whether 1.9.0 ran install scripts is unknown');
    expect(finding?.evidence.previousInstallScripts).toBeNull();
  });

  it.each([
    ['no install scripts', {}],
    ['unknown install scripts', null],
  ])('does not report %s', (_label, locked) => {
    expect(run(facts('esbuild', locked))).toEqual([]);
  });

  it('leaves scripts new in this version to install-script-added', () => {
    expect(run(facts('esbuild', POSTINSTALL, {}))).toEqual([]);
  });

  it.each(['version-not-found', 'package-not-found', 'error', 'not-cached', 'not-applicable'] as const)('does not judge facts that are %s', (status) => {
    expect(run(failedFacts('esbuild', '2.0.0', status, null))).toEqual([]);
  });

  describe("the lockfile's own record (npm hasInstallScript, pnpm requiresBuild)", () => {
    const withFlag = (f: PackageFacts) => runCheck(installScript, [{ facts: f, pkg: { hasInstallScript: true } }]);

    it.each([
      ['the registry facts are unavailable (offline)', failedFacts('sharp', '0.33.5', 'not-cached', 'not in the cache (--offline)'), 'not-cached'],
      ['the registry never listed the version (a mirror gap)', failedFacts('sharp', '0.33.5', 'version-not-found', null), 'version-not-found'],
      ['the document could not be fetched', failedFacts('sharp', '0.33.5', 'error', '500 Internal Server Error'), 'error'],
      ['the abbreviated document flags scripts without naming them', packageFacts('sharp', '0.33.5', { locked: { installScripts: null }, document: 'abbreviated' }), 'ok'],
    ])('still reports it when %s, saying where the fact came from', (_label, f, status) => {
      const findings = withFlag(f);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        ruleId: 'install-script',
        severity: 'low',
        location: { file: 'package-lock.json', line: 10 },
        evidence: { installScripts: null, sources: ['lockfile (hasInstallScript)'], lockfileHasInstallScript: true, factsStatus: status },
      });
      expect(findings[0]?.message).toMatch(/^package-lock\.json records install scripts for sharp@0\.33\.5 \(hasInstallScript\); which scripts is unknown because /);
    });

    it('names both witnesses when the registry agrees', () => {
      const [finding] = withFlag(facts('sharp', { install: 'node install/check' }));
      expect(finding?.evidence).toMatchObject({ installScripts: { install: 'node install/check' }, sources: ['lockfile (hasInstallScript)', 'registry (full)'] });
      expect(finding?.message).toBe('sharp@2.0.0 runs install: "node install/check" on install (as did 1.9.0).');
    });

    it("trusts the lockfile when a mirror's document shows no scripts", () => {
      const [finding] = withFlag(facts('esbuild', {}));
      expect(finding?.message).toMatch(/records install scripts for esbuild@2\.0\.0 \(hasInstallScript\), though the registry's document shows none/);
      expect(finding?.evidence).toMatchObject({ installScripts: null, registryInstallScripts: {}, sources: ['lockfile (hasInstallScript)'] });
    });

    it('reports it when no registry stage ran at all', () => {
      const pkg = lockedPackage({ name: 'protobufjs', version: '7.4.0', hasInstallScript: true });
      const findings = installScript.run(context(inventory({ packages: [pkg, lockedPackage({ name: 'ms', version: '2.1.3' })] })));
      expect(findings.map((finding) => finding.package?.name)).toEqual(['protobufjs']);
      expect(findings[0]?.message).toContain('registry facts were not gathered');
      expect(findings[0]?.evidence.factsStatus).toBe('not-gathered');
    });

    it("names pnpm's requiresBuild for a pnpm lockfile, and any source (git, tarball) counts", () => {
      const pkg = lockedPackage({ name: 'core-js', version: '3.8.3', hasInstallScript: true, source: 'git' });
      const lockfile = { path: '/project/pnpm-lock.yaml', file: 'pnpm-lock.yaml', format: 'pnpm' as const, version: '6.0' };
      const [finding] = installScript.run(context(inventory({ packages: [pkg], lockfile })));
      expect(finding?.message).toMatch(/^pnpm-lock\.yaml records install scripts for core-js@3\.8\.3 \(requiresBuild\)/);
      expect(finding?.location).toEqual({ file: 'pnpm-lock.yaml', line: 10 });
    });

    it('is medium for an AI gateway, as from the registry', () => {
      expect(withFlag(failedFacts('portkey-ai', '1.0.0', 'not-cached', null))[0]?.severity).toBe('medium');
    });

    it('does not report a package the lockfile marks without scripts, or does not say', () => {
      expect(runCheck(installScript, [{ facts: facts('ms', {}), pkg: { hasInstallScript: false } }])).toEqual([]);
      expect(runCheck(installScript, [{ facts: failedFacts('ms', '2.0.0', 'not-cached', null), pkg: { hasInstallScript: null } }])).toEqual([]);
    });

    it('leaves scripts new in this version to install-script-added, lockfile flag or not', () => {
      expect(withFlag(facts('esbuild', POSTINSTALL, {}))).toEqual([]);
    });
  });
});
