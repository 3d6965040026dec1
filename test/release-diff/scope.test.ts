import { describe, expect, it } from 'vitest';
import { DEFAULT_RELEASE_DIFF_WINDOW } from '../../src/policy/policy.js';
import { releasesInScope, type FactsView, type LockedView } from '../../src/release-diff/scope.js';
import { redactUrlsIn } from '../../src/util/redact-url.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

function facts(publishedDaysAgo: number | null, extra: Partial<FactsView> = {}): FactsView {
  return {
    status: 'ok',
    locked: { version: '2.0.0', publishedAt: publishedDaysAgo === null ? null : ago(publishedDaysAgo), integrity: 'sha512-registry' },
    previous: { version: '1.9.0', publishedAt: ago(200), integrity: 'sha512-previous' },
    ...extra,
  };
}

function scope(entries: Array<[LockedView, FactsView]>, strict: string[] = []) {
  const byId = new Map(entries.map(([pkg, view]) => [pkg.id, view]));
  return releasesInScope(entries.map(([pkg]) => pkg), (id) => byId.get(id), (name) => strict.includes(name), NOW);
}

const pkg = (name: string, integrity: string | null = 'sha512-lockfile'): LockedView => ({ id: `${name}@2.0.0`, name, version: '2.0.0', integrity });

describe('releasesInScope', () => {
  it('takes versions published within the window (30 days by default) and leaves older ones', () => {
    expect(DEFAULT_RELEASE_DIFF_WINDOW).toBe(30 * DAY);
    const scoped = scope([[pkg('fresh'), facts(7)], [pkg('old'), facts(45)]]);
    expect(scoped).toEqual([{ id: 'fresh@2.0.0', name: 'fresh', version: '2.0.0', integrity: 'sha512-lockfile', previousVersion: '1.9.0', previousIntegrity: 'sha512-previous', why: 'recent' }]);
  });

  it('takes every AI gateway and AI cost tool version whatever its age', () => {
    expect(scope([[pkg('gateway-sdk'), facts(400)]], ['gateway-sdk'])).toMatchObject([{ name: 'gateway-sdk', why: 'ai-tool' }]);
  });

  it('checks against the registry integrity when the lockfile has none', () => {
    expect(scope([[pkg('fresh', null), facts(1)]])[0]?.integrity).toBe('sha512-registry');
  });

  it('without a publish time, takes the version unless the whole document is older than the window', () => {
    const scoped = scope([
      [pkg('unknown-age'), facts(null)],
      [pkg('quiet'), facts(null, { modified: ago(90) })],
      [pkg('busy'), facts(null, { modified: ago(2) })],
    ]);
    expect(scoped.map((release) => [release.name, release.why])).toEqual([['unknown-age', 'age-unknown'], ['busy', 'age-unknown']]);
  });

  it('skips versions without a predecessor or without facts', () => {
    expect(scope([[pkg('first'), facts(1, { previous: null })], [pkg('gone'), facts(1, { status: 'version-not-found' })]])).toEqual([]);
  });
});

describe('fetch failures in release-diff messages', () => {
  it('pass through the one redaction helper: no userinfo survives', () => {
    const message = redactUrlsIn('integrity check failed for https://bot:s3cret@registry.test/x/-/x-1.0.0.tgz (and http://tok@mirror.test/)');
    expect(message).not.toMatch(/s3cret|bot:|tok@/);
    expect(message).toContain('registry.test/x/-/x-1.0.0.tgz');
  });
});
