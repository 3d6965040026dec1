import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lockfileIntegrityMismatch } from '../../src/checks/lockfile-integrity-mismatch.js';
import { lockfileIntegrityMissing } from '../../src/checks/lockfile-integrity-missing.js';
import type { VersionFacts } from '../../src/registry/facts/model.js';
import { failedFacts, packageFacts, runCheck, type Subject } from '../helpers/facts.js';

const sri = (algorithm: 'sha1' | 'sha512', bytes: string) => `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;
const shasum = (bytes: string) => createHash('sha1').update(bytes).digest('hex');

const GENUINE = 'the tarball that was published';
const SWAPPED = 'another tarball';

function subject(lockedIntegrity: string | null, registry: Partial<VersionFacts>): Subject {
  return { pkg: { integrity: lockedIntegrity }, facts: packageFacts('qs', '6.13.0', { locked: registry }) };
}

const run = (...subjects: Subject[]) => runCheck(lockfileIntegrityMismatch, subjects);

describe('lockfile-integrity-mismatch', () => {
  it.each([
    ['sha512 differs', sri('sha512', SWAPPED), { integrity: sri('sha512', GENUINE), shasum: shasum(GENUINE) }, ['sha512']],
    ['the lockfile has sha1 only, the registry sha512 and a dist.shasum that differs', sri('sha1', SWAPPED), { integrity: sri('sha512', GENUINE), shasum: shasum(GENUINE) }, ['sha1']],
    ['the lockfile has sha1 only, the registry an old sha1 integrity that differs', sri('sha1', SWAPPED), { integrity: sri('sha1', GENUINE), shasum: null }, ['sha1']],
    ['one of two hashes the lockfile records differs', `${sri('sha512', GENUINE)} ${sri('sha1', SWAPPED)}`, { integrity: sri('sha512', GENUINE), shasum: shasum(GENUINE) }, ['sha1']],
    ['an SRI hash with options', `${sri('sha512', SWAPPED)}?x-option`, { integrity: sri('sha512', GENUINE), shasum: null }, ['sha512']],
  ])('is critical when %s', (_label, locked, registry, algorithms) => {
    const findings = run(subject(locked, registry));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'lockfile-integrity-mismatch',
      severity: 'critical',
      package: { name: 'qs', version: '6.13.0' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { lockedIntegrity: locked, registryIntegrity: registry.integrity, registryShasum: registry.shasum ?? null, algorithms },
    });
    expect(findings[0]?.message).toMatch(/^package-lock\.json locks qs@6\.13\.0 with .*, but the registry publishes .* for that version: the tarball was swapped or the lockfile entry was edited\.$/);
  });

  it('names the differing hash of the same algorithm on both sides', () => {
    const [finding] = run(subject(sri('sha1', SWAPPED), { integrity: sri('sha512', GENUINE), shasum: shasum(GENUINE) }));
    expect(finding?.message).toContain(`with ${sri('sha1', SWAPPED).slice(0, 20)}…, but the registry publishes ${sri('sha1', GENUINE).slice(0, 20)}…`);
  });

  it.each([
    ['the same sha512', sri('sha512', GENUINE), { integrity: sri('sha512', GENUINE) }],
    ['a sha1-only lockfile matching dist.shasum', sri('sha1', GENUINE), { integrity: sri('sha512', GENUINE), shasum: shasum(GENUINE) }],
    ['a sha1-only lockfile matching an old sha1 integrity', sri('sha1', GENUINE), { integrity: sri('sha1', GENUINE), shasum: shasum(GENUINE) }],
    ['two hashes that both match', `${sri('sha512', GENUINE)} ${sri('sha1', GENUINE)}`, { integrity: sri('sha512', GENUINE), shasum: shasum(GENUINE) }],
  ])('accepts %s', (_label, locked, registry) => {
    expect(run(subject(locked, registry))).toEqual([]);
  });

  // Nothing to compare is no mismatch; the weak or missing lockfile hash is lockfile-integrity-missing's finding.
  it.each([
    ['a sha1-only lockfile when the registry gives sha512 and no shasum', sri('sha1', SWAPPED), { integrity: sri('sha512', GENUINE), shasum: null }],
    ['a lockfile without integrity', null, { integrity: sri('sha512', GENUINE), shasum: shasum(GENUINE) }],
  ])('does not compare %s, and lockfile-integrity-missing reports it', (_label, locked, registry) => {
    const subjects = [subject(locked, registry)];
    expect(run(...subjects)).toEqual([]);
    expect(runCheck(lockfileIntegrityMissing, subjects).map((finding) => finding.severity)).toEqual(['medium']);
  });

  it.each([
    ['the registry publishes no hash for the version', { integrity: null, shasum: null }],
    ['a malformed dist.shasum', { integrity: null, shasum: 'not-hex' }],
  ])('does not report when %s', (_label, registry) => {
    expect(run(subject(sri('sha512', SWAPPED), registry))).toEqual([]);
  });

  it.each([
    ['version-not-found', null],
    ['error', '500'],
    ['not-cached', 'not in the cache (--offline)'],
  ] as const)('does not judge a version whose facts are %s', (status, error) => {
    expect(run({ pkg: { integrity: sri('sha512', SWAPPED) }, facts: failedFacts('qs', '6.13.0', status, error) })).toEqual([]);
  });
});
