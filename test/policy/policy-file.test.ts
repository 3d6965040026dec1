import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAuditError } from '../../src/model/errors.js';
import { loadPolicyFile, minReleaseAgesFromFile, parsePolicyFile, policyFromFile } from '../../src/policy/file.js';
import { RULE_IDS } from '../../src/model/rule-id.js';

const FULL = {
  $schema: './node_modules/ai-chain-audit/schema/policy.schema.json',
  failOn: 'medium',
  minReleaseAge: { gateway: '7d', 'cost-observability': '7d', default: '36h' },
  releaseDiffWindow: '2w',
  tiers: { '@acme/llm-proxy-client': 'gateway', 'acme-usage-meter': 'cost-observability' },
  expectedSources: { '@acme/llm-proxy-client': 'github.com/acme/llm-proxy' },
  requireProvenance: 'all',
  requireProvenanceFor: ['left-pad'],
  trustedHosts: ['npm-mirror.acme.test', 'artifacts.acme.test:8443'],
  offeredRoutes: 'full',
  allow: [
    { rule: 'install-script', package: 'esbuild', reason: 'Downloads its platform binary; reviewed.' },
    { rule: 'recent-release', package: 'openai', version: '^5.0.0', reason: 'Vendor hotfix.', expires: '2026-12-01' },
    { rule: 'lockfile-missing', reason: 'Library: consumers lock.', expires: '2027-06-30' },
  ],
};

function problem(settings: unknown): string {
  try {
    parsePolicyFile(typeof settings === 'string' ? settings : JSON.stringify(settings), '.ai-chain-audit.json');
  } catch (error) {
    if (isAuditError(error) && error.code === 'EPOLICY') return error.message;
    throw error;
  }
  return 'accepted';
}

describe('policy file', () => {
  it('accepts every documented key and maps it onto the policy', () => {
    const settings = parsePolicyFile(JSON.stringify(FULL), '.ai-chain-audit.json');
    const policy = policyFromFile(settings);
    expect(policy.failOn).toBe('medium');
    expect(policy.tierOverrides).toEqual(FULL.tiers);
    expect(policy.expectedSources).toEqual(FULL.expectedSources);
    expect(policy.trustedHosts).toEqual(FULL.trustedHosts);
    expect(policy.requireProvenance).toBe('all');
    expect(policy.releaseDiffWindow).toBe(14 * 86_400_000);
    expect(policy.requireProvenanceFor).toEqual(['left-pad']);
    expect(policy.offeredRoutes).toBe('full');
    expect(policy.allow).toEqual([
      { rule: 'install-script', package: 'esbuild', version: null, reason: 'Downloads its platform binary; reviewed.', expires: null },
      { rule: 'recent-release', package: 'openai', version: '^5.0.0', reason: 'Vendor hotfix.', expires: '2026-12-01' },
      { rule: 'lockfile-missing', package: null, version: null, reason: 'Library: consumers lock.', expires: '2027-06-30' },
    ]);
    expect(minReleaseAgesFromFile(settings)).toEqual({ gateway: 7 * 86_400_000, 'cost-observability': 7 * 86_400_000, default: 36 * 3_600_000 });
  });

  it('accepts an empty object', () => {
    expect(policyFromFile(parsePolicyFile('{}', 'p.json'))).toEqual({});
  });

  it.each([
    ['not JSON', '{ failOn: high }', /^Policy file \.ai-chain-audit\.json is not valid JSON: /],
    ['not an object', '[]', /: must be an object\.$/],
    ['an unknown key, with a suggestion', { failon: 'high' }, /: unknown key "failon" \(did you mean "failOn"\?\)\.$/],
    ['an unknown key in an allow entry', { allow: [{ rule: 'install-script', reason: 'x', until: '2026-01-01' }] }, /: unknown key "until" in allow\[0\] \(known keys: rule, package, version, reason, expires\)\.$/],
    ['a bad threshold', { failOn: 'severe' }, /: failOn must be one of "critical", "high", "medium", "low", "info", "none"\.$/],
    ['an unknown rule', { allow: [{ rule: 'typosquat', reason: 'x' }] }, /: allow\[0\]\.rule must be one of "lockfile-missing", /],
    ['an allow entry without a reason', { allow: [{ rule: 'install-script', package: 'esbuild' }] }, /: allow\[0\] is missing "reason"\.$/],
    ['an empty reason', { allow: [{ rule: 'install-script', reason: '' }] }, /: allow\[0\]\.reason must not be empty\.$/],
    ['a malformed expiry', { allow: [{ rule: 'install-script', reason: 'x', expires: '01/02/2026' }] }, /: allow\[0\]\.expires must be a date YYYY-MM-DD\.$/],
    ['an impossible date', { allow: [{ rule: 'install-script', reason: 'x', expires: '2026-02-30' }] }, /: allow\[0\]\.expires "2026-02-30" is not a real date \(YYYY-MM-DD\)\.$/],
    ['a version without a package', { allow: [{ rule: 'recent-release', version: '1.0.0', reason: 'x' }] }, /: allow\[0\] has a version but no package\.$/],
    ['a version that is no range', { allow: [{ rule: 'recent-release', package: 'a', version: 'one', reason: 'x' }] }, /: allow\[0\]\.version "one" is neither a version nor a semver range\.$/],
    ['a bad duration', { minReleaseAge: { gateway: 'a week' } }, /: minReleaseAge\.gateway must be a duration like 7d, 36h or 90m\.$/],
    ['a bad release-diff window', { releaseDiffWindow: 'a month' }, /: releaseDiffWindow must be a duration like 7d, 36h or 90m\.$/],
    ['an unknown tier in minReleaseAge', { minReleaseAge: { gateways: '7d' } }, /: unknown key "gateways" in minReleaseAge \(did you mean/],
    ['an unknown tier', { tiers: { 'acme-proxy': 'proxy' } }, /: tiers\.acme-proxy must be one of "gateway", "cost-observability", "provider-sdk", "framework"\.$/],
    ['a bad package name', { tiers: { 'Not A Name': 'gateway' } }, /: tiers key "Not A Name" is not a valid package name\.$/],
    ['a URL as trusted host', { trustedHosts: ['https://mirror.acme.test/npm'] }, /: trustedHosts\[0\] must be a host name, optionally with :port \(no scheme or path\)\.$/],
    ['a bad expected source', { expectedSources: { a: 'acme/proxy' } }, /: expectedSources\.a must be a repository like github\.com\/owner\/repo\.$/],
    ['a wrong type', { allow: {} }, /: allow must be an array\.$/],
  ])('rejects %s with one line naming the key', (_name, settings, message) => {
    const text = problem(settings);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('lists exactly the rule ids of src/model/rule-id.ts', async () => {
    const { readFile } = await import('node:fs/promises');
    const schema = JSON.parse(await readFile(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8')) as { $defs: { ruleId: { enum: string[] } } };
    expect(schema.$defs.ruleId.enum).toEqual(RULE_IDS);
  });
});

describe('loading the policy file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aca-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is optional in the project root', async () => {
    expect(await loadPolicyFile(dir)).toBeNull();
  });

  it('reads .ai-chain-audit.json from the project root', async () => {
    await writeFile(join(dir, '.ai-chain-audit.json'), JSON.stringify({ failOn: 'critical' }));
    expect(await loadPolicyFile(dir)).toEqual({ file: '.ai-chain-audit.json', settings: { failOn: 'critical' } });
  });

  it('requires an explicit --policy file to exist', async () => {
    await expect(loadPolicyFile(dir, join(dir, 'missing.json'))).rejects.toThrow(/^Cannot read policy file missing\.json: no such file\.$/);
  });
});
