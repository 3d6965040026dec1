import { describe, expect, it } from 'vitest';
import { versionUnpublished } from '../../src/checks/version-unpublished.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { factsView } from '../../src/report/facts-view.js';
import { failedFacts, packageFacts, runCheck, versionFacts } from '../helpers/facts.js';

const run = (facts: PackageFacts) => runCheck(versionUnpublished, [{ facts }]);

describe('version-unpublished', () => {
  it('is critical when the package exists but the locked version does not, naming the latest version', () => {
    const findings = run({ ...failedFacts('ws', '8.17.2', 'version-not-found', null), removed: true, latest: '8.18.0', modified: '2026-11-22T09:00:00.000Z' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'version-unpublished',
      severity: 'critical',
      package: { name: 'ws', version: '8.17.2' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { status: 'version-not-found', removed: true, latest: '8.18.0', previousVersion: null, modified: '2026-11-22T09:00:00.000Z' },
    });
    expect(findings[0]?.message).toBe('ws@8.17.2 is locked but was removed from the registry after it was published (latest is 8.18.0): removed releases are often malicious ones.');
    expect(findings[0]?.remediation).toMatch(/rotate secrets/);
  });

  it('suggests a published version to lock when one is known', () => {
    const [finding] = run({ ...failedFacts('ws', '8.17.2', 'version-not-found', null), removed: true, previous: versionFacts('8.17.1') });
    expect(finding?.remediation).toContain('such as 8.17.1');
    expect(finding?.message).not.toContain('latest is');
  });

  it('is high when the whole package is gone (removed, or private on a registry not configured)', () => {
    const findings = run(failedFacts('@acme/internal', '1.0.0', 'package-not-found', 'the registry https://registry.example.test/ has no package @acme/internal'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', evidence: { status: 'package-not-found', error: 'the registry https://registry.example.test/ has no package @acme/internal' } });
    expect(findings[0]?.message).toMatch(/^The registry has no package @acme\/internal at all/);
    expect(findings[0]?.remediation).toContain('@scope:registry');
  });

  it.each([
    ['a published version', packageFacts('ws', '8.17.2')],
    ['a deprecated but published version', packageFacts('ws', '8.17.2', { locked: { deprecated: 'use 8.18' } })],
    ['a git, file or remote dependency', failedFacts('ws', '8.17.2', 'not-applicable', null)],
    ['a version the registry never listed (version-not-listed)', { ...failedFacts('ws', '8.17.2', 'version-not-found', null), removed: false }],
    ['a missing version whose history is unknown (version-not-listed)', { ...failedFacts('ws', '8.17.2', 'version-not-found', null), removed: null }],
  ])('does not report %s', (_label, facts) => {
    expect(run(facts)).toEqual([]);
  });

  // Facts that were not obtained are no evidence of removal, and must not read as "published" either:
  // the registry stage names them in errors[], and the report keeps their status and error.
  it.each([
    ['a document that failed to load', failedFacts('ws', '8.17.2', 'error', '500 Internal Server Error after 3 attempts'), 'error'],
    ['a document not in the cache under --offline', failedFacts('ws', '8.17.2', 'not-cached', 'not in the cache (--offline)'), 'not-cached'],
  ])('does not call %s unpublished, and the report does not show it as fine', (_label, facts, status) => {
    expect(run(facts)).toEqual([]);
    const view = factsView(facts);
    expect(view.status).toBe(status);
    expect(view.error).toBe(facts.error);
    expect(view.publishedAt).toBeNull();
    expect(view.integrity).toBeNull();
    expect(view.hasSignatures).toBeNull();
  });

  it('reports each missing version, not the others', () => {
    const findings = runCheck(versionUnpublished, [
      { facts: packageFacts('a', '1.0.0') },
      { facts: { ...failedFacts('b', '1.0.0', 'version-not-found', null), removed: true } },
      { facts: failedFacts('c', '1.0.0', 'package-not-found', 'gone') },
    ]);
    expect(findings.map((finding) => `${finding.package?.name}:${finding.severity}`)).toEqual(['b:critical', 'c:high']);
  });
});
