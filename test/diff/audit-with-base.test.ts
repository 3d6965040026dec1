import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNpmConfig } from '../../src/config/npm-config.js';
import { auditWithBase, withBaseline } from '../../src/audit-with-base.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { RegistryClient } from '../../src/registry/transport/client.js';
import { express, nativeBuild, reportOf } from '../helpers/diff-reports.js';
import { pullRequestRepo, type PullRequestRepo } from '../helpers/pr-repo.js';

let pr: PullRequestRepo;
beforeAll(async () => {
  pr = await pullRequestRepo();
}, 60_000);
afterAll(async () => {
  await pr?.close();
});

/** The loopback registry speaks plain http, which every package's entry shows; the test's policy accepts that. */
const LOOPBACK_HTTP = { rule: 'lockfile-untrusted-source' as const, package: null, version: null, reason: 'loopback test registry', expires: null };

async function client(): Promise<RegistryClient> {
  return new RegistryClient(await loadNpmConfig(pr.repo.dir, { registry: pr.registry.url }, { ...pr.env, PATH: process.env.PATH }), { offline: false });
}

describe('auditWithBase: a pull request that adds a dependency with an install script and bumps an AI SDK', () => {
  it('reports exactly those two package changes, and the install script as the only new finding', async () => {
    const statusBefore = pr.repo.git('status', '--porcelain=v1', '--untracked-files=all');
    const report = await auditWithBase(pr.repo.dir, { policy: defaultPolicy({ failOn: 'low', trustedRegistries: [pr.registry.url], allow: [LOOPBACK_HTTP] }), registry: await client() }, { ref: 'HEAD~1' }, { failOnExisting: false });
    expect(report.diff.base).toMatchObject({ ref: 'HEAD~1', commit: pr.base, lockfile: 'package-lock.json', lockfileFormat: 'npm' });
    expect(report.diff.packages.added.map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual(['native-build@1.0.0']);
    expect(report.diff.packages.removed).toEqual([]);
    expect(report.diff.packages.changed.map((change) => [change.name, change.from.version, change.to.version, change.changed])).toEqual([['openai', '5.23.1', '5.23.2', ['version']]]);
    const fresh = report.findings.filter((finding) => finding.baselineState === 'new' && !finding.suppressed);
    expect(fresh.map((finding) => `${finding.ruleId} ${finding.package?.name}@${finding.package?.version}`)).toEqual(['install-script native-build@1.0.0']);
    // the gate at low would fail on what the base already had; with the base, only the install script fails it
    expect(report.findings.filter((finding) => finding.baselineState === 'unchanged' && finding.severity !== 'info').length).toBeGreaterThan(3);
    expect(report.summary.passed).toBe(false);
    expect(report.errors).toEqual([]);
    expect(pr.repo.git('status', '--porcelain=v1', '--untracked-files=all')).toBe(statusBefore);
  }, 60_000);

  it('passes once the install script is accepted, and fails again with --fail-on-existing', async () => {
    const policy = defaultPolicy({ failOn: 'low', trustedRegistries: [pr.registry.url], allow: [LOOPBACK_HTTP, { rule: 'install-script', package: 'native-build', version: null, reason: 'builds a native addon', expires: null }] });
    const registry = await client();
    const report = await auditWithBase(pr.repo.dir, { policy, registry }, { ref: 'HEAD~1' }, { failOnExisting: false });
    expect(report.summary.passed).toBe(true);
    const strict = await auditWithBase(pr.repo.dir, { policy, registry }, { ref: 'HEAD~1' }, { failOnExisting: true });
    expect(strict.summary.passed).toBe(false);
  }, 60_000);
});

describe('withBaseline', () => {
  it('a base audit that could not establish everything: a note, and its findings count as new rather than hidden', () => {
    const head = reportOf([express('4.21.0'), nativeBuild]);
    const base = { ...reportOf([express('4.21.0')]), errors: [{ scope: 'lockfile', message: 'cannot read /tmp/ai-chain-audit-base-x1/package-lock.json' }] };
    const report = withBaseline(head, base, { ref: 'main', commit: null, notices: ['Base main: a note.'], dir: '/tmp/ai-chain-audit-base-x1' }, { failOnExisting: false });
    expect(report.notices.slice(-2)).toEqual([
      'Base main: a note.',
      'The audit of the base could not establish everything (1 error, first: lockfile: cannot read package-lock.json); findings it may have had are counted as new.',
    ]);
    expect(report.summary.passed).toBe(head.summary.passed);
  });
});
