import { describe, expect, it } from 'vitest';
import { installScript } from '../../src/checks/install-script.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { failedFacts, packageFacts, runCheck, versionFacts } from '../helpers/facts.js';

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
});
