import { describe, expect, it } from 'vitest';
import { recentRelease } from '../../src/checks/recent-release.js';
import type { ProjectCooldown } from '../../src/policy/cooldown.js';
import { minReleaseAgeOf } from '../../src/policy/build.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { ago, days, failedFacts, hours, packageFacts, runCheck, versionFacts, type RunOptions } from '../helpers/facts.js';

/** `name@2.0.0` published `age` ago, after 1.9.0. */
function released(name: string, age: number, overrides: Parameters<typeof packageFacts>[2] = {}): PackageFacts {
  return packageFacts(name, '2.0.0', { locked: { publishedAt: ago(age) }, earlier: [versionFacts('1.9.0')], ...overrides });
}

const run = (facts: PackageFacts, options: RunOptions = {}) => runCheck(recentRelease, [{ facts }], options);

const NPM_GATE: ProjectCooldown = { manager: 'npm', setting: 'min-release-age=3', file: '.npmrc', ms: days(3), exclude: [] };

describe('recent-release', () => {
  it.each([
    ['a non-AI release 3 h old (window 1 d)', 'express', hours(3), days(1), 'default'],
    ['a non-AI release 1 ms inside its window', 'express', days(1) - 1, days(1), 'default'],
    ['an AI provider SDK 20 h old (no tier window: 1 d)', 'openai', hours(20), days(1), 'default'],
    ['an AI gateway 40 h old (window 7 d)', 'portkey-ai', hours(40), days(7), 'tier'],
    ['an AI gateway 1 ms inside its window', 'litellm', days(7) - 1, days(7), 'tier'],
    ['an AI cost tool 6 d old (window 7 d)', '@helicone/helpers', days(6), days(7), 'tier'],
  ])('reports %s, at high', (_label, name, age, windowMs, windowSource) => {
    const findings = run(released(name, age));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'recent-release',
      severity: 'high',
      package: { name, version: '2.0.0' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { publishedAt: ago(age), ageMs: age, windowMs, windowSource, previousVersion: '1.9.0', projectCooldown: null, cooldownBypassed: false },
    });
  });

  it.each([
    ['a non-AI release exactly at its window', 'express', days(1)],
    ['a non-AI release 40 h old', 'express', hours(40)],
    ['an AI provider SDK 40 h old', 'openai', hours(40)],
    ['an AI gateway exactly at its window', 'portkey-ai', days(7)],
    ['an AI gateway 8 d old', 'portkey-ai', days(8)],
  ])('accepts %s', (_label, name, age) => {
    expect(run(released(name, age))).toEqual([]);
  });

  it.each([
    ['unpublished', failedFacts('express', '2.0.0', 'version-not-found', null)],
    ['a package the registry does not have', failedFacts('express', '2.0.0', 'package-not-found', 'no such package')],
    ['facts that failed to load (reported in errors[])', failedFacts('express', '2.0.0', 'error', '500 Internal Server Error')],
    ['facts not cached under --offline (reported in errors[])', failedFacts('express', '2.0.0', 'not-cached', 'not in the cache (--offline)')],
    ['a git dependency', failedFacts('express', '2.0.0', 'not-applicable', null)],
  ])('leaves %s to other rules', (_label, facts) => {
    expect(run(facts)).toEqual([]);
  });

  it('explains itself: age, date, the date to wait until and the previous version to pin', () => {
    const [finding] = run(released('portkey-ai', hours(40)));
    const publishedAt = ago(hours(40));
    const waitUntil = new Date(Date.parse(publishedAt) + days(7)).toISOString();
    expect(finding?.message).toBe(
      `AI gateway portkey-ai@2.0.0 was published 40 h ago, on ${publishedAt}; wait until ${waitUntil} or pin the previous version 1.9.0 (release-age window 7 d for AI gateways and AI cost tools).`,
    );
    expect(finding?.remediation).toBe(`Pin portkey-ai to 1.9.0 (or another release older than the window) and reinstall, or wait until ${waitUntil} and re-run the audit.`);
    expect(finding?.evidence.waitUntil).toBe(waitUntil);
  });

  it('without a previous version, says only when to come back', () => {
    const [finding] = run(packageFacts('fresh', '1.0.0', { locked: { publishedAt: ago(hours(3)) } }));
    expect(finding?.message).not.toContain('pin the previous version');
    expect(finding?.remediation).toMatch(/^Wait until \d{4}-\d\d-\d\dT/);
    expect(finding?.evidence.previousVersion).toBeNull();
  });

  it('says when a publish time lies after the evaluation time (--now replaying the past)', () => {
    const [finding] = run(released('express', -hours(2)));
    expect(finding?.message).toContain('was published 2 h after the evaluation time');
    expect(finding?.evidence.ageMs).toBe(-hours(2));
  });

  describe('when the publish time is unknown', () => {
    it('accepts a version whose whole document last changed before the window opened', () => {
      expect(run(released('express', 0, { locked: { publishedAt: null }, document: 'abbreviated', modified: ago(days(2)) }))).toEqual([]);
      expect(run(released('portkey-ai', 0, { locked: { publishedAt: null }, modified: ago(days(8)) }))).toEqual([]);
    });

    it.each([
      ['its document changed inside the window', 'express', ago(hours(3)), 'medium'],
      ['nothing says when its document changed', 'express', null, 'medium'],
      ['an AI gateway whose document changed inside the window', 'portkey-ai', ago(days(2)), 'high'],
    ])('reports that the age could not be checked when %s, never that it is old', (_label, name, modified, severity) => {
      const findings = run(released(name, 0, { locked: { publishedAt: null }, modified }));
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ severity, evidence: { publishedAt: null, publishedBefore: modified, ageMs: null, previousVersion: '1.9.0' } });
      expect(findings[0]?.message).toContain('gives no usable publish time');
      expect(findings[0]?.message).toContain('could not be checked');
      expect(findings[0]?.message).not.toMatch(/was published/);
    });

    it('names when the document changed, also after the evaluation time (--now replaying the past)', () => {
      expect(run(released('express', 0, { locked: { publishedAt: null }, modified: ago(hours(3)) }))[0]?.message).toContain(`and its document changed 3 h ago, on ${ago(hours(3))}`);
      expect(run(released('express', 0, { locked: { publishedAt: null }, modified: ago(-hours(5)) }))[0]?.message).toContain('changed 5 h after the evaluation time');
    });

    it('treats an unparseable publish time as unknown instead of crashing', () => {
      const findings = run(released('express', 0, { locked: { publishedAt: 'yesterday' }, modified: ago(hours(3)) }));
      expect(findings).toHaveLength(1);
      expect(findings[0]?.evidence.ageMs).toBeNull();
    });
  });

  describe("the project's own cool-down", () => {
    it('lengthens the window and says the gate was bypassed', () => {
      const [finding] = run(released('express', hours(40)), { cooldown: NPM_GATE });
      expect(finding).toMatchObject({
        severity: 'high',
        evidence: { windowMs: days(3), windowSource: 'project', cooldownBypassed: true, projectCooldown: { manager: 'npm', setting: 'min-release-age=3', file: '.npmrc', ms: days(3) } },
      });
      expect(finding?.message).toContain("(release-age window 3 d, the project's own cool-down).");
      expect(finding?.message).toContain("It is younger than the project's own cool-down (npm min-release-age=3 in .npmrc (3 d)), so something bypassed that gate");
    });

    it('is reported as bypassed for an AI gateway even where the tier window is the longer one', () => {
      const [finding] = run(released('portkey-ai', hours(40)), { cooldown: NPM_GATE });
      expect(finding?.evidence).toMatchObject({ windowMs: days(7), windowSource: 'tier', cooldownBypassed: true });
      expect(finding?.message).toContain('something bypassed that gate');
    });

    it('is not called bypassed when the version is older than the gate but inside the tier window', () => {
      const [finding] = run(released('portkey-ai', days(5)), { cooldown: NPM_GATE });
      expect(finding?.evidence).toMatchObject({ windowMs: days(7), cooldownBypassed: false });
      expect(finding?.message).not.toContain('bypassed');
    });

    it('does not apply to the packages it exempts', () => {
      expect(run(released('express', hours(40)), { cooldown: { ...NPM_GATE, exclude: ['expr*'] } })).toEqual([]);
    });

    it('shorter than the default window changes nothing', () => {
      const short: ProjectCooldown = { manager: 'pnpm', setting: 'minimum-release-age=60', file: '.npmrc', ms: hours(1), exclude: [] };
      const [finding] = run(released('express', hours(3)), { cooldown: short });
      expect(finding?.evidence).toMatchObject({ windowMs: days(1), windowSource: 'default', cooldownBypassed: false });
    });
  });

  describe('--min-release-age', () => {
    it('sets the window of every package', () => {
      const policy = { minReleaseAge: minReleaseAgeOf({}, days(3)) };
      expect(run(released('express', hours(40)), { policy })[0]?.evidence).toMatchObject({ windowMs: days(3), windowSource: 'default' });
      expect(run(released('express', days(3)), { policy })).toEqual([]);
    });

    it('leaves AI gateways their longer window, and lengthens it when longer', () => {
      expect(run(released('portkey-ai', days(5)), { policy: { minReleaseAge: minReleaseAgeOf({}, hours(1)) } })[0]?.evidence.windowMs).toBe(days(7));
      expect(run(released('portkey-ai', days(8)), { policy: { minReleaseAge: minReleaseAgeOf({}, days(10)) } })[0]?.evidence.windowMs).toBe(days(10));
    });

    it('can shorten the default window', () => {
      expect(run(released('express', hours(3)), { policy: { minReleaseAge: minReleaseAgeOf({}, hours(2)) } })).toEqual([]);
    });
  });

  it('judges each locked version on its own', () => {
    const findings = runCheck(recentRelease, [{ facts: released('express', hours(3)) }, { facts: released('debug', days(30)) }, { facts: released('portkey-ai', hours(40)) }]);
    expect(findings.map((finding) => finding.package?.name)).toEqual(['express', 'portkey-ai']);
  });
});
