import { afterEach, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { readInventory } from '../../src/inventory/index.js';
import { materializeFixture } from '../helpers/fixtures.js';
import { context } from '../helpers/inventory.js';

const REGISTRY = 'https://registry.example.test/';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function findingsFor(fixture: string) {
  const { dir, cleanup } = await materializeFixture(`lockfiles/${fixture}`, { registry: REGISTRY });
  cleanups.push(cleanup);
  const inventory = await readInventory(dir);
  return runChecks(context(inventory, { trustedRegistries: [REGISTRY] }));
}

const summary = (findings: Awaited<ReturnType<typeof findingsFor>>, ruleId: string) =>
  findings.filter((finding) => finding.ruleId === ruleId).map((finding) => `${finding.package?.name}:${String(finding.evidence.kind ?? finding.severity)}`).sort();

describe('checks on lockfiles written by real npm', () => {
  it('npm-out-of-sync: the added dependency and the moved range', async () => {
    const findings = await findingsFor('npm-out-of-sync');
    const outOfSync = findings.filter((finding) => finding.ruleId === 'lockfile-out-of-sync');
    expect(outOfSync.map((finding) => finding.package?.name).sort()).toEqual(['is-number', 'semver']);
    expect(outOfSync.find((finding) => finding.package?.name === 'semver')?.message).toMatch(/7\.\d+\.\d+, outside that range/);
  });

  it('npm-no-integrity: the stripped and the sha1-only entries', async () => {
    const findings = await findingsFor('npm-no-integrity');
    expect(summary(findings, 'lockfile-integrity-missing')).toEqual(['is-number:medium', 'ms:medium']);
  });

  it('npm-git-file: git, remote tarball, a tarball outside the project and plain http; not the vendored folder', async () => {
    const findings = await findingsFor('npm-git-file');
    const kinds = findings.filter((finding) => finding.ruleId === 'lockfile-untrusted-source').map((finding) => finding.evidence.kind);
    expect(kinds.sort()).toEqual(['git', 'insecure-http', 'outside-project', 'remote-tarball']);
  });

  it('npm-v3-basic: no lockfile problems on a clean lockfile from the configured registry', async () => {
    const findings = await findingsFor('npm-v3-basic');
    expect(findings.filter((finding) => finding.ruleId.startsWith('lockfile-'))).toEqual([]);
    expect(summary(findings, 'unpinned-spec')).toEqual(['@helicone/helpers:high', 'ai:medium', 'express:low', 'is-number:low', 'ms:low', 'portkey-ai:high', 'semver:low']);
  });

  it('a lockfile from another host is an untrusted source', async () => {
    const { dir, cleanup } = await materializeFixture('lockfiles/npm-v2', { registry: 'https://elsewhere.example.test/' });
    cleanups.push(cleanup);
    const findings = runChecks(context(await readInventory(dir), { trustedRegistries: [REGISTRY] }));
    const hosts = findings.filter((finding) => finding.ruleId === 'lockfile-untrusted-source').map((finding) => finding.evidence.kind);
    expect(hosts.length).toBeGreaterThan(0);
    expect(new Set(hosts)).toEqual(new Set(['unexpected-host']));
  });
});
