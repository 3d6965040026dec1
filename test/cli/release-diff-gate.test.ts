import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { makeTarball, packument, tarballPath, type Tarball } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { colourLibrary } from '../release-diff/fixtures/clean-packages.js';
import { appendedDrainerLine } from '../release-diff/fixtures/look-alikes.js';

const DAY = 24 * 3600 * 1000;
const NAME = 'tint-colours';

let work: string;
let clean: Tarball;
let hijacked: Tarball;
let predecessor: Tarball;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'aca-release-diff-'));
  predecessor = await makeTarball(NAME, '5.6.0', colourLibrary('5.6.0'));
  clean = await makeTarball(NAME, '5.6.1', colourLibrary('5.6.1'));
  const files = colourLibrary('5.6.1');
  files['source/index.js'] += appendedDrainerLine('hex-names');
  hijacked = await makeTarball(NAME, '5.6.1', files);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A project locking tint-colours@5.6.1 (published a week ago) against a loopback registry serving `served` as that version. */
async function replay(label: string, served: Tarball, locked: Tarball = served, options: { ageDays?: number; newerDaysAgo?: number; flags?: string[] } = {}): Promise<{ code: number; report: Report; registry: RegistryServer }> {
  const doc = packument(NAME, [
    { version: '5.6.0', publishedAt: new Date(Date.now() - 90 * DAY).toISOString(), tarball: predecessor.data },
    { version: '5.6.1', publishedAt: new Date(Date.now() - (options.ageDays ?? 7) * DAY).toISOString(), tarball: served.data },
    ...(options.newerDaysAgo === undefined ? [] : [{ version: '5.7.0', publishedAt: new Date(Date.now() - options.newerDaysAgo * DAY).toISOString() }]),
  ]);
  const registry = await startRegistry({ packuments: { [NAME]: doc }, keys: null });
  const dir = join(work, label, 'app');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'replay-app', version: '1.0.0', dependencies: { [NAME]: '5.6.1' } }, null, 2));
  const lock = {
    name: 'replay-app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'replay-app', version: '1.0.0', dependencies: { [NAME]: '5.6.1' } },
      // no `resolved` (npm's omit-lockfile-registry-resolved): the loopback registry's plain http is not what this test is about
      [`node_modules/${NAME}`]: { version: '5.6.1', integrity: locked.integrity, license: 'MIT' },
    },
  };
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  const home = join(work, label);
  const env = { npm_config_cache: join(home, '.npm-cache'), npm_config_userconfig: join(home, '.user-npmrc'), npm_config_registry: registry.url, HOME: home };
  try {
    const run = await cli([dir, '--json', ...(options.flags ?? [])], env);
    if (!run.stdout) throw new Error(`no report: ${run.code} ${run.stderr}`);
    return { code: run.code, report: JSON.parse(run.stdout) as Report, registry };
  } finally {
    await registry.close();
  }
}

describe('release-code-changed through the CLI and a loopback registry', () => {
  it('fails the default gate on a week-old replay of the chalk 5.6.1 drainer, with file, line and excerpt', async () => {
    const { code, report, registry } = await replay('hijacked', hijacked);
    expect(code).toBe(1);
    const findings = report.findings.filter((finding) => finding.ruleId === 'release-code-changed');
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ severity: 'high', package: { name: NAME, version: '5.6.1' }, location: { file: 'package-lock.json' } });
    expect(finding?.message).toMatch(/^tint-colours@5\.6\.1 adds code that 5\.6\.0 did not have: obfuscated code/);
    const added = finding?.evidence.added as Array<{ key: string; file: string; line: number; excerpt: string }>;
    const appendedAt = colourLibrary('5.6.1')['source/index.js']?.split('\n').length;
    expect(added.find((signal) => signal.key === 'obfuscation:long-line')).toMatchObject({ file: 'source/index.js', line: appendedAt });
    // nothing else in the report is high: the gate failed on the code alone
    expect(report.findings.filter((other) => other.severity === 'high' && other.ruleId !== 'release-code-changed')).toEqual([]);
    // both tarballs came through the registry, once each
    const tarballs = registry.requests.filter((request) => request.path.endsWith('.tgz')).map((request) => request.path).sort();
    expect(tarballs).toEqual([tarballPath(NAME, '5.6.0'), tarballPath(NAME, '5.6.1')]);
  });

  it('does not compare the same two tarballs again on the next run: the comparison comes from the sealed cache, even with npm\'s tarball store emptied', async () => {
    const first = await replay('cached', hijacked);
    await rm(join(work, 'cached', '.npm-cache', '_cacache'), { recursive: true, force: true });
    const { code, report, registry } = await replay('cached', hijacked);
    expect(registry.requests.filter((request) => request.path.endsWith('.tgz'))).toEqual([]);
    expect(code).toBe(1);
    const findingsOf = (of: Report) => of.findings.filter((finding) => finding.ruleId === 'release-code-changed');
    expect(findingsOf(report)).toEqual(findingsOf(first.report));
    expect(findingsOf(report)).toHaveLength(1);
  });

  it('passes the same project when 5.6.1 is an honest release', async () => {
    const { code, report } = await replay('clean', clean);
    expect(report.findings.filter((finding) => finding.ruleId === 'release-code-changed')).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(code).toBe(0);
  });

  it('reports a served tarball that does not match the locked integrity as critical, not as compared', async () => {
    const { code, report } = await replay('tampered', hijacked, clean);
    expect(code).toBe(1);
    const finding = report.findings.find((item) => item.ruleId === 'release-code-changed');
    expect(finding).toMatchObject({ severity: 'critical', evidence: { failure: 'integrity-mismatch', version: '5.6.1' } });
  });

  it('learns the age of a version from the full document before downloading any code: a 45-day-old release is not compared', async () => {
    // the abbreviated document has no publish times, and a newer release changed it 2 days ago
    const { report, registry } = await replay('old-release', hijacked, hijacked, { ageDays: 45, newerDaysAgo: 2 });
    expect(report.findings.filter((finding) => finding.ruleId === 'release-code-changed')).toEqual([]);
    expect(registry.requests.filter((request) => request.path.endsWith('.tgz'))).toEqual([]);
    expect(registry.requests.filter((request) => request.path === `/${NAME}` && !request.accept?.includes('install-v1'))).toHaveLength(1);
  });

  it('compares it when --release-diff-window covers its age', async () => {
    const { code, report } = await replay('wide-window', hijacked, hijacked, { ageDays: 45, newerDaysAgo: 2, flags: ['--release-diff-window', '60d'] });
    expect(code).toBe(1);
    expect(report.findings.find((finding) => finding.ruleId === 'release-code-changed')).toMatchObject({ severity: 'high', package: { version: '5.6.1' } });
  });
});
