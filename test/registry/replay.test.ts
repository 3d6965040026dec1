import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import type { Packument } from '../helpers/packuments.js';
import { CORGI_TYPE, type RegistryServer } from '../helpers/registry-server.js';

const NOW = '2026-03-24T12:00:00.000Z';
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.parse(NOW) - hours * HOUR).toISOString();

/**
 * The March 2026 pattern replayed on a real AI-app lockfile: a fresh gateway release, a fresh
 * ordinary release, a removed version, an install script that appeared, a swapped tarball and a
 * deprecation, all served by a loopback registry and evaluated `--now` at a fixed time.
 */
function incident(docs: Record<string, Packument>): Record<string, Packument> {
  const publish = (name: string, version: string, at: string) => {
    const doc = docs[name] as Packument;
    (doc.time as Record<string, string>)[version] = at;
  };
  publish('portkey-ai', '3.1.0', ago(40)); // AI gateway, 40 h old: inside its 7 d window
  publish('express', '4.22.3', ago(3)); // ordinary, 3 h old: inside the 1 d window
  publish('debug', '2.6.9', ago(40)); // ordinary, 40 h old: outside 1 d, inside a 3 d project gate
  const ws = docs.ws as Packument;
  delete ws.versions['8.23.0']; // unpublished; the registry keeps its time entry
  ws['dist-tags'] = { latest: Object.keys(ws.versions)[0] as string };
  (docs.md5 as Packument).versions['2.3.0']!.scripts = { postinstall: 'node setup.js' };
  (docs.qs as Packument).versions['6.16.2']!.dist.integrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
  (docs['base-64'] as Packument).versions['0.1.0']!.deprecated = 'no longer maintained, use the built-in atob/btoa';
  for (const doc of Object.values(docs)) {
    const times = Object.entries(doc.time ?? {}).filter(([key]) => key !== 'created' && key !== 'modified').map(([, at]) => at);
    (doc.time as Record<string, string>).modified = times.sort().at(-1) as string;
  }
  return docs;
}

let served: ServedProject;
let registry: RegistryServer;
let project: { dir: string };
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  served = await serveFixtureProject('projects/ai-app', { publishedAt: () => ago(90 * 24), documents: incident });
  ({ registry, env } = served);
  project = { dir: served.dir };
});

afterEach(async () => {
  await served.close();
});

async function audit(...args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await cli([project.dir, '--json', '--now', NOW, '--registry', registry.url, ...args], env);
  return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

function finding(report: Report, ruleId: string, name: string): Finding | undefined {
  return report.findings.find((f) => f.ruleId === ruleId && f.package?.name === name);
}

describe('replaying an incident on a real AI-app lockfile', () => {
  it('finds every planted problem, gates with exit 1, and fetches no document twice', async () => {
    const { code, report } = await audit();

    const gateway = finding(report, 'recent-release', 'portkey-ai');
    expect(gateway?.severity).toBe('high');
    expect(gateway?.message).toMatch(/published 40 h ago, on 2026-03-22T20:00:00.000Z; wait until 2026-03-29T20:00:00.000Z or pin the previous version 3\.0\.0/);
    expect(gateway?.evidence).toMatchObject({ windowMs: 7 * 24 * HOUR, windowSource: 'tier' });
    expect(finding(report, 'recent-release', 'express')?.severity).toBe('high');
    expect(finding(report, 'recent-release', 'express')?.message).toMatch(/published 3 h ago/);
    expect(finding(report, 'recent-release', 'debug')).toBeUndefined();

    expect(finding(report, 'version-unpublished', 'ws')).toMatchObject({ severity: 'critical', package: { version: '8.23.0' } });
    expect(finding(report, 'install-script-added', 'md5')).toMatchObject({ severity: 'high', evidence: { added: { postinstall: 'node setup.js' } } });
    expect(finding(report, 'lockfile-integrity-mismatch', 'qs')?.severity).toBe('critical');
    expect(finding(report, 'deprecated-version', 'base-64')?.message).toContain('no longer maintained');
    const registryRules = ['recent-release', 'version-unpublished', 'install-script-added', 'lockfile-integrity-mismatch', 'deprecated-version', 'install-script', 'publisher-changed'];
    expect(report.findings.filter((f) => registryRules.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.package?.name}`).sort()).toEqual(
      ['deprecated-version base-64', 'install-script-added md5', 'lockfile-integrity-mismatch qs', 'recent-release express', 'recent-release portkey-ai', 'version-unpublished ws'].sort(),
    );

    const express = report.packages.find((pkg) => pkg.name === 'express');
    expect(express?.facts).toMatchObject({ status: 'ok', publishedAt: ago(3), previousVersion: '4.22.2' });
    const quiet = report.packages.find((pkg) => pkg.name === 'etag');
    expect(quiet?.facts).toMatchObject({ status: 'ok', publishedAt: null, publishedBefore: ago(90 * 24) });
    expect(report.packages.find((pkg) => pkg.name === 'ws')?.facts.status).toBe('version-not-found');

    expect(report.summary.passed).toBe(false);
    expect(report.errors).toEqual([]);
    expect(code).toBe(1);

    const fetched = registry.requests.map((request) => `${request.path} ${request.accept?.includes(CORGI_TYPE) ? 'abbreviated' : 'full'}`);
    expect(fetched.length).toBeGreaterThan(90);
    expect(fetched.filter((entry, index) => fetched.indexOf(entry) !== index)).toEqual([]);
    // full documents only where a fact needed them
    const full = fetched.filter((entry) => entry.endsWith(' full') && !entry.includes('.tgz')).map((entry) => entry.split(' ')[0]).sort();
    expect(full).toEqual(expect.arrayContaining(['/portkey-ai', '/express', '/md5', '/ws']));
    // 40 h old and nothing newer: outside the 1 d release-age window, but inside the release
    // diff's 30 d, which needs the publish time before it downloads any code
    expect(full).toContain('/debug');
    // 90 days without a change: the abbreviated `modified` rules out both windows
    expect(full).not.toContain('/etag');
  });

  it("holds a 40 h old ordinary release once the project's .npmrc sets min-release-age=3, and says the gate was bypassed", async () => {
    await writeFile(join(project.dir, '.npmrc'), 'min-release-age=3\n');
    const { report } = await audit();
    const debug = finding(report, 'recent-release', 'debug');
    expect(debug?.severity).toBe('high');
    expect(debug?.message).toMatch(/younger than the project's own cool-down \(npm min-release-age=3 in \.npmrc \(3 d\)\), so something bypassed that gate/);
    expect(debug?.evidence).toMatchObject({ windowSource: 'project', cooldownBypassed: true });
    expect(report.notices.join('\n')).toMatch(/min-release-age=3 in \.npmrc .* is honoured/);
    // the gateway keeps its longer 7 d window
    expect(finding(report, 'recent-release', 'portkey-ai')?.evidence).toMatchObject({ windowMs: 7 * 24 * HOUR });
  });

  it('replays as of another time: two weeks later nothing is recent any more', async () => {
    const run = await cli([project.dir, '--json', '--now', '2026-04-07T12:00:00Z', '--registry', registry.url], env);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.now).toBe('2026-04-07T12:00:00.000Z');
    expect(report.findings.filter((f) => f.ruleId === 'recent-release')).toEqual([]);
  });

  it('--min-release-age widens the window for every package', async () => {
    const { report } = await audit('--min-release-age', '36h');
    expect(finding(report, 'recent-release', 'debug')).toBeUndefined();
    const wider = await audit('--min-release-age', '2d');
    expect(finding(wider.report, 'recent-release', 'debug')?.evidence).toMatchObject({ windowMs: 48 * HOUR, windowSource: 'default' });
  });

  it('--offline answers from the warm cache, and reports what is not cached as unknown, never as clean', async () => {
    await audit();
    registry.reset();
    const warm = await audit('--offline');
    expect(registry.requests).toHaveLength(0);
    expect(finding(warm.report, 'recent-release', 'portkey-ai')?.severity).toBe('high');
    expect(warm.report.errors.filter((error) => error.scope === 'registry')).toEqual([]);

    const cold = await cli([project.dir, '--json', '--now', NOW, '--registry', registry.url, '--offline'], { ...env, npm_config_cache: join(project.dir, '..', '.empty-cache') });
    const report = JSON.parse(cold.stdout) as Report;
    expect(registry.requests).toHaveLength(0);
    expect(cold.code).toBe(2);
    expect(report.summary.passed).toBe(false);
    expect(report.errors.find((error) => error.scope === 'registry')?.message).toMatch(/--offline: \d+ of \d+ packages are not in npm's cache/);
    expect(report.packages.filter((pkg) => pkg.source === 'registry').every((pkg) => pkg.facts.status === 'not-cached')).toBe(true);
    expect(cold.stderr).toMatch(/not in npm's cache/);
  });
});
