import { describe, expect, it } from 'vitest';
import { applyAllowList } from '../../src/policy/allow-list.js';
import type { AllowEntry } from '../../src/policy/policy.js';
import type { Finding } from '../../src/report/model.js';

function finding(ruleId: Finding['ruleId'], name: string | null, version: string | null): Finding {
  return {
    ruleId,
    severity: 'high',
    package: name ? { name, version } : null,
    message: 'm',
    remediation: 'r',
    evidence: {},
    location: null,
    paths: [],
    aiTier: null,
  };
}

function entry(overrides: Partial<AllowEntry>): AllowEntry {
  return { rule: 'recent-release', package: null, version: null, reason: 'accepted', expires: null, ...overrides };
}

const NOW = new Date('2026-11-23T12:00:00Z');

describe('allow-list', () => {
  it.each<[string, Partial<AllowEntry>, Finding, boolean]>([
    ['rule only', {}, finding('recent-release', 'a', '1.0.0'), true],
    ['another rule', { rule: 'install-script' }, finding('recent-release', 'a', '1.0.0'), false],
    ['same package', { package: 'a' }, finding('recent-release', 'a', '1.0.0'), true],
    ['another package', { package: 'b' }, finding('recent-release', 'a', '1.0.0'), false],
    ['exact version', { package: 'a', version: '1.0.0' }, finding('recent-release', 'a', '1.0.0'), true],
    ['other version', { package: 'a', version: '1.0.1' }, finding('recent-release', 'a', '1.0.0'), false],
    ['range', { package: 'a', version: '^1.0.0' }, finding('recent-release', 'a', '1.4.2'), true],
    ['range excluding it', { package: 'a', version: '^2.0.0' }, finding('recent-release', 'a', '1.4.2'), false],
    ['prerelease in range', { package: 'a', version: '^1.0.0' }, finding('recent-release', 'a', '1.5.0-rc.1'), true],
    ['package-less finding, package entry', { rule: 'lockfile-missing', package: 'a' }, finding('lockfile-missing', null, null), false],
    ['package-less finding, rule entry', { rule: 'lockfile-missing' }, finding('lockfile-missing', null, null), true],
    ['valid through the day before expiry', { expires: '2026-11-24' }, finding('recent-release', 'a', '1.0.0'), true],
    ['expired at the start of the expiry day', { expires: '2026-11-23' }, finding('recent-release', 'a', '1.0.0'), false],
  ])('%s', (_name, overrides, input, suppressed) => {
    const result = applyAllowList([input], [entry(overrides)], NOW);
    expect(Boolean(result.findings[0]?.suppressed)).toBe(suppressed);
  });

  it('keeps the finding, records reason and expiry, and counts matches per entry', () => {
    const result = applyAllowList(
      [finding('recent-release', 'a', '1.0.0'), finding('recent-release', 'b', '2.0.0')],
      [entry({ package: 'a', reason: 'vendor hotfix', expires: '2027-01-01' }), entry({ package: 'zzz' })],
      NOW,
    );
    expect(result.findings).toHaveLength(2);
    expect(result.findings[0]?.suppressed).toEqual({ reason: 'vendor hotfix', expires: '2027-01-01' });
    expect(result.findings[1]?.suppressed).toBeNull();
    expect(result.allowList.map((item) => [item.status, item.matches])).toEqual([
      ['active', 1],
      ['active', 0],
    ]);
    expect(result.notices).toEqual(['Allow-list entry recent-release zzz matches no finding; remove it if the problem is gone.']);
  });

  it('reports an expired entry and lets its finding count again', () => {
    const result = applyAllowList([finding('recent-release', 'a', '1.0.0')], [entry({ package: 'a', reason: 'was fine', expires: '2026-11-01' })], NOW);
    expect(result.findings[0]?.suppressed).toBeNull();
    expect(result.allowList[0]).toMatchObject({ status: 'expired', matches: 1 });
    expect(result.notices).toEqual(['Allow-list entry recent-release a expired on 2026-11-01: it no longer suppresses 1 finding (reason was: was fine).']);
  });
});
