import { describe, expect, it } from 'vitest';
import { installScript } from '../../src/checks/install-script.js';
import { installScriptAdded } from '../../src/checks/install-script-added.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { failedFacts, packageFacts, runCheck, versionFacts } from '../helpers/facts.js';

type Scripts = Record<string, string> | null;

/** `name@2.0.0` with `locked` install scripts, after 1.9.0 with `previous` ones. */
function facts(name: string, locked: Scripts, previous: Scripts): PackageFacts {
  return packageFacts(name, '2.0.0', { locked: { installScripts: locked }, earlier: [versionFacts('1.9.0', { installScripts: previous })] });
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
    expect(finding?.message).toBe('md5@2.0.0 runs postinstall: "node setup_bun.js" on install, which the previous version 1.9.0 did not.');
    expect(finding?.remediation).toContain('pin md5 to 1.9.0');
    expect(finding?.remediation).toContain('--ignore-scripts');
  });

  it.each([
    ['no install scripts', {}, {}],
    ['the scripts the previous version had too (install-script reports them)', { postinstall: 'node setup.js' }, { postinstall: 'node old-setup.js' }],
    ['fewer scripts than before', { install: 'node-gyp rebuild' }, { install: 'node-gyp rebuild', postinstall: 'node x.js' }],
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
    ['present, the previous version unknown', { postinstall: 'node setup.js' }, null, ['install-script:low']],
    ['absent', {}, { postinstall: 'node setup.js' }, []],
  ])('with install-script, reports scripts %s once', (_label, locked, previous, expected) => {
    expect(rulesFor(facts('md5', locked, previous))).toEqual(expected);
  });
});
