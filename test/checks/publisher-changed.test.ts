import { describe, expect, it } from 'vitest';
import { publisherChanged } from '../../src/checks/publisher-changed.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { failedFacts, packageFacts, runCheck, versionFacts } from '../helpers/facts.js';

/** `name@2.0.0` published by `publisher`, after earlier versions 1.9.0, 1.8.0, … published by `earlier` (newest first). */
function facts(name: string, publisher: string | null, earlier: (string | null)[]): PackageFacts {
  return packageFacts(name, '2.0.0', { locked: { publisher }, earlier: earlier.map((by, i) => versionFacts(`1.${9 - i}.0`, { publisher: by })) });
}

const run = (f: PackageFacts) => runCheck(publisherChanged, [{ facts: f }]);

describe('publisher-changed', () => {
  it.each([
    ['an AI gateway published by a new account', 'portkey-ai', 'high'],
    ['an AI cost tool published by a new account', '@helicone/helpers', 'high'],
    ['an AI provider SDK published by a new account', 'openai', 'medium'],
    ['any other package published by a new account', 'debug', 'medium'],
  ])('reports %s at %s', (_label, name, severity) => {
    const findings = run(facts(name, 'new-account', ['maintainer', 'maintainer', 'maintainer']));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'publisher-changed',
      severity,
      package: { name, version: '2.0.0' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { publisher: 'new-account', earlierPublishers: ['maintainer'], earlierVersions: ['1.9.0', '1.8.0', '1.7.0'] },
    });
  });

  it('names the new account, the earlier versions and their publishers, and the version to pin', () => {
    const [finding] = run(facts('debug', 'mallory', ['alice', 'bob', 'alice']));
    expect(finding?.message).toBe('debug@2.0.0 was published by "mallory", who published none of the 3 versions before it (1.9.0, 1.8.0, 1.7.0: alice, bob).');
    expect(finding?.remediation).toContain('"mallory" is a legitimate maintainer');
    expect(finding?.remediation).toContain('pin debug to 1.9.0');
  });

  it('judges only the earlier versions whose publisher is known', () => {
    const [finding] = run(facts('debug', 'mallory', [null, 'alice', null]));
    expect(finding?.evidence).toMatchObject({ earlierPublishers: ['alice'], earlierVersions: ['1.8.0'] });
    expect(finding?.remediation).toContain('pin debug to 1.8.0');
  });

  it.each([
    ['the publisher of the previous version', 'alice', ['alice', 'alice']],
    ['a co-maintainer who published a recent version', 'bob', ['alice', 'alice', 'bob', 'alice', 'alice']],
    ['an unknown publisher (abbreviated document)', null, ['alice', 'alice']],
    ['a version none of whose earlier publishers is known', 'mallory', [null, null]],
    ['a first release', 'mallory', []],
  ])('does not report %s', (_label, publisher, earlier) => {
    expect(run(facts('debug', publisher, earlier))).toEqual([]);
  });

  it.each(['version-not-found', 'package-not-found', 'error', 'not-cached', 'not-applicable'] as const)('does not judge facts that are %s', (status) => {
    expect(run(failedFacts('debug', '2.0.0', status, null))).toEqual([]);
  });
});
