import { describe, expect, it } from 'vitest';
import { installScript } from '../../src/checks/install-script.js';
import { installScriptAdded } from '../../src/checks/install-script-added.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { ago, days, failedFacts, NOW, packageFacts, runCheck, versionFacts } from '../helpers/facts.js';

type Scripts = Record<string, string> | null;

/** `name@2.0.0`, published `age` ago (10 days unless told), with `locked` install scripts, after 1.9.0 with `previous` ones. */
function facts(name: string, locked: Scripts, previous: Scripts, age = days(10)): PackageFacts {
  return packageFacts(name, '2.0.0', { locked: { installScripts: locked, publishedAt: ago(age) }, earlier: [versionFacts('1.9.0', { installScripts: previous, publishedAt: ago(age + days(30)) })] });
}

const run = (f: PackageFacts) => runCheck(installScriptAdded, [{ facts: f }]);
const rulesFor = (f: PackageFacts) => [...runCheck(installScriptAdded, [{ facts: f }]), ...runCheck(installScript, [{ facts: f }])].map((finding) => `${finding.ruleId}:${finding.severity}`);

describe('install-script-added', () => {
  it.each([
    ['a postinstall in a version after one without scripts', 'md5', { postinstall: 'node setup.js' }, {}, { postinstall: 'node setup.js' }],
    ['a preinstall next to an install script the previous version had', 'md5', { preinstall: 'node bun.js', install: 'node-gyp rebuild' }, { install: 'node-gyp rebuild' }, { preinstall: 'node bun.js' }],
    ['a postinstall in an AI gateway (same severity)', 'portkey-ai', { postinstall: 'node telemetry.js' }, {}, { postinstall: 'node telemetry.js' }],
  ])('is high for %s', (_label, name, locked, previous, added) => {
    const findings = run(facts(name, locked, previous));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'install-script-added',
      severity: 'high',
      package: { name, version: '2.0.0' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { added, previousVersion: '1.9.0', previousInstallScripts: previous },
    });
  });

  it('quotes the new script and names the previous version to pin', () => {
    const [finding] = run(facts('md5', { postinstall: 'node setup_bun.js' }, {}));
    expect(finding?.message).toBe(
      `md5@2.0.0 runs postinstall: "node setup_bun.js" on install, which the previous version 1.9.0 did not; the script was added in this release, published ${ago(days(10)).slice(0, 10)} (10 days ago).`,
    );
    expect(finding?.remediation).toContain('pin md5 to 1.9.0');
    expect(finding?.remediation).toContain('--ignore-scripts');
  });

  it.each([
    ['no install scripts', {}, {}],
    ['the scripts the previous version had too (install-script reports them)', { postinstall: 'node setup.js' }, { postinstall: 'node old-setup.js' }],
    ['fewer scripts than before', { install: 'node-gyp rebuild' }, { install: 'node-gyp rebuild', postinstall: 'node x.js' }],
    // @sentry/cli 1.77.2 → 1.77.3 (run-llama/chat-llamaindex): the same command, run by another hook
    ['a script moved to another hook', { install: 'node ./scripts/install.js' }, { postinstall: 'node  ./scripts/install.js ' }],
    ['scripts whose previous version is unknown (install-script reports them)', { postinstall: 'node setup.js' }, null],
    ['unknown scripts', null, {}],
  ])('does not report %s', (_label, locked, previous) => {
    expect(run(facts('md5', locked, previous))).toEqual([]);
  });

  it('does not report a first release (there is no previous version)', () => {
    expect(run(packageFacts('md5', '1.0.0', { locked: { installScripts: { postinstall: 'node setup.js' } } }))).toEqual([]);
  });

  it.each(['version-not-found', 'error', 'not-cached'] as const)('does not judge facts that are %s', (status) => {
    expect(run(failedFacts('md5', '2.0.0', status, null))).toEqual([]);
  });

  // the two rules split the cases between them: every version with install scripts is reported exactly once
  it.each([
    ['added in this version', { postinstall: 'node setup.js' }, {}, ['install-script-added:high']],
    ['partly added in this version', { install: 'node-gyp rebuild', postinstall: 'node setup.js' }, { install: 'node-gyp rebuild' }, ['install-script-added:high']],
    ['present in both versions', { postinstall: 'node setup.js' }, { postinstall: 'node setup.js' }, ['install-script:low']],
    ['moved to another hook', { install: 'node ./scripts/install.js' }, { postinstall: 'node ./scripts/install.js' }, ['install-script:low']],
    ['moved, with a new one beside it', { install: 'node ./scripts/install.js', preinstall: 'node x.js' }, { postinstall: 'node ./scripts/install.js' }, ['install-script-added:high']],
    ['present, the previous version unknown', { postinstall: 'node setup.js' }, null, ['install-script:low']],
    ['absent', {}, { postinstall: 'node setup.js' }, []],
  ])('with install-script, reports scripts %s once', (_label, locked, previous, expected) => {
    expect(rulesFor(facts('md5', locked, previous))).toEqual(expected);
  });

  describe('weighs the release\'s age', () => {
    const POSTINSTALL = { postinstall: 'node install.js' };

    it.each([
      ['published today', days(0), 'high'],
      ['89 days old', days(89), 'high'],
      ['exactly 90 days old', days(90), 'high'],
      ['91 days old', days(91), 'low'],
      // fsevents 1.2.13 added `node install.js` in 2020 and has been installed millions of times since
      ['six years old (fsevents 1.2.13)', days(6 * 365), 'low'],
    ])('a release %s is %s', (_label, age, severity) => {
      const [finding] = run(facts('fsevents', POSTINSTALL, {}, age));
      expect(finding?.severity).toBe(severity);
      expect(finding?.evidence).toMatchObject({ publishedAt: ago(age), windowDays: 90 });
    });

    it('says when an old script was added and does not ask to pin the previous version', () => {
      const [finding] = run(facts('fsevents', POSTINSTALL, {}, days(2000)));
      expect(finding?.message).toContain(`the script was added in this release, published ${ago(days(2000)).slice(0, 10)} (2000 days ago)`);
      expect(finding?.remediation).toContain(`shipped since ${ago(days(2000)).slice(0, 10)}`);
      expect(finding?.remediation).not.toContain('pin fsevents');
    });

    it('without a publish time, is low only when the whole document predates the window', () => {
      const unknown = (modified: string | null) => ({ ...facts('fsevents', POSTINSTALL, {}), locked: versionFacts('2.0.0', { installScripts: POSTINSTALL, publishedAt: null }), modified });
      expect(run(unknown(ago(days(400))))[0]).toMatchObject({ severity: 'low', evidence: { publishedAt: null, publishedBefore: ago(days(400)) } });
      expect(run(unknown(ago(days(400))))[0]?.message).toContain(`published before ${ago(days(400)).slice(0, 10)}`);
      // fails closed: the release may be days old
      expect(run(unknown(ago(days(3))))[0]?.severity).toBe('high');
      expect(run(unknown(null))[0]).toMatchObject({ severity: 'high' });
      expect(run(unknown(null))[0]?.message).toContain('when this release was published is unknown');
    });

    it('judges the age at the evaluation time (--now), not the wall clock', () => {
      expect(NOW.toISOString()).toBe('2026-11-23T12:00:00.000Z');
      const published = packageFacts('md5', '2.0.0', { locked: { installScripts: POSTINSTALL, publishedAt: '2026-09-01T00:00:00.000Z' }, earlier: [versionFacts('1.9.0')] });
      expect(run(published)[0]?.severity).toBe('high');
    });
  });
});
