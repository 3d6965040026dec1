import { describe, expect, it } from 'vitest';
import { versionNotListed } from '../../src/checks/version-not-listed.js';
import { versionUnpublished } from '../../src/checks/version-unpublished.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { failedFacts, packageFacts, runCheck } from '../helpers/facts.js';

const missing = (removed: boolean | null | undefined): PackageFacts => ({ ...failedFacts('sharp', '0.33.9', 'version-not-found', null), removed, latest: '0.33.5', modified: '2026-01-01T00:00:00.000Z' });
const run = (facts: PackageFacts, pkg = {}) => runCheck(versionNotListed, [{ facts, pkg }]);
const both = (facts: PackageFacts) => [...runCheck(versionUnpublished, [{ facts }]), ...runCheck(versionNotListed, [{ facts }])].map((finding) => `${finding.ruleId}:${finding.severity}`);

describe('version-not-listed', () => {
  it('is high, says "not on this registry" and points at the registry configuration', () => {
    const findings = run(missing(false), { resolved: 'https://mirror.example.test/sharp/-/sharp-0.33.9.tgz' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'version-not-listed',
      severity: 'high',
      package: { name: 'sharp', version: '0.33.9' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { status: 'version-not-found', removed: false, latest: '0.33.5', resolved: 'https://mirror.example.test/sharp/-/sharp-0.33.9.tgz' },
    });
    expect(findings[0]?.message).toBe('sharp@0.33.9 is not on this registry: the registry lists sharp (its latest is 0.33.5) but has no record of 0.33.9, so nothing about it was checked.');
    expect(findings[0]?.message).not.toMatch(/malicious|removed/);
    expect(findings[0]?.remediation).toContain('Check the registry configuration');
    expect(findings[0]?.remediation).toContain('it records https://mirror.example.test/sharp/-/sharp-0.33.9.tgz');
  });

  it('says so when whether it was ever published is unknown', () => {
    const [finding] = run(missing(null));
    expect(finding?.message).toContain('Whether it was ever published there is unknown');
    expect(finding?.evidence.removed).toBeNull();
  });

  // the two rules split a missing version between them: exactly one finding, never a silent pass
  it.each([
    ['time records it: removed after publish', true, ['version-unpublished:critical']],
    ['neither versions nor time: never listed', false, ['version-not-listed:high']],
    ['history unknown', null, ['version-not-listed:high']],
    ['facts from before `removed` was recorded', undefined, ['version-not-listed:high']],
  ])('with version-unpublished, reports a missing version once (%s)', (_label, removed, expected) => {
    expect(both(missing(removed))).toEqual(expected);
  });

  it('does not report a bundled copy, which ships inside its parent', () => {
    expect(run(missing(false), { bundled: true })).toEqual([]);
  });

  it.each([
    ['a listed version', packageFacts('sharp', '0.33.5')],
    ['a package the registry does not have (version-unpublished reports it)', failedFacts('sharp', '0.33.9', 'package-not-found', 'no such package')],
    ['facts that failed to load', failedFacts('sharp', '0.33.9', 'error', 'timeout')],
    ['facts not cached under --offline', failedFacts('sharp', '0.33.9', 'not-cached', null)],
  ])('does not report %s', (_label, facts) => {
    expect(run(facts)).toEqual([]);
  });
});
