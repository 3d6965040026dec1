import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import { cli } from '../helpers/cli.js';

const schema = JSON.parse(await readFile(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function expectValidReport(report: unknown): asserts report is Report {
  const ok = validate(report);
  expect(ok ? [] : validate.errors).toEqual([]);
}

let served: ServedProject;
beforeAll(async () => {
  served = await serveFixtureProject('projects/ai-app');
});
afterAll(async () => {
  await served.close();
});

async function lockedNameVersions(dir: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; name?: string; link?: boolean }> };
  const ids = new Set<string>();
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '' || entry.link) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    ids.add(`${name}@${entry.version}`);
  }
  return [...ids].sort();
}

describe('auditing a real npm v3 lockfile of an AI app', () => {
  it('lists exactly the locked packages and flags unpinned AI gateways high', async () => {
    const run = await cli([served.dir, '--json'], served.env);
    const report = JSON.parse(run.stdout) as unknown;
    expectValidReport(report);
    expect(report.packages.map((pkg) => `${pkg.name}@${pkg.version}`).sort()).toEqual(await lockedNameVersions(served.dir));

    const unpinned = new Map(report.findings.filter((f) => f.ruleId === 'unpinned-spec').map((f) => [f.package?.name, f]));
    expect(unpinned.get('portkey-ai')?.severity).toBe('high');
    expect(unpinned.get('litellm')?.severity).toBe('high');
    expect(unpinned.get('@helicone/helpers')?.severity).toBe('high');
    expect(unpinned.get('express')?.severity).toBe('low');
    expect(unpinned.has('openai')).toBe(false);
    expect(unpinned.has('ms')).toBe(false);
    expect(unpinned.get('portkey-ai')?.location?.file).toBe('package.json');
    expect(unpinned.get('portkey-ai')?.location?.line).toBeGreaterThan(1);

    expect(report.summary.passed).toBe(false);
    expect(run.code).toBe(1);
  });

  it('exits 0 with --fail-on none and still reports everything', async () => {
    const run = await cli([served.dir, '--json', '--fail-on', 'none'], served.env);
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(0);
    expect(report.summary.failOn).toBe('none');
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('prints a readable text report with paths, fixes and a summary line', async () => {
    const run = await cli([served.dir], served.env);
    expect(run.stdout).toMatch(/^HIGH \(\d+\)$/m);
    expect(run.stdout).toMatch(/unpinned-spec portkey-ai@/);
    expect(run.stdout).toMatch(/why: support-bot > portkey-ai/);
    expect(run.stdout).toMatch(/fix: Pin the exact version/);
    expect(run.stdout).toMatch(/FAILED \(fail-on: high\)/);
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('writes the report to --output and keeps stdout clean', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aca-out-'));
    const file = join(out, 'report.json');
    const run = await cli([served.dir, '--json', '--output', file, '--fail-on', 'none'], served.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expectValidReport(JSON.parse(await readFile(file, 'utf8')));
    await rm(out, { recursive: true, force: true });
  });
});

describe('a project without a lockfile', () => {
  it('is audited from package.json, gets lockfile-missing and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aca-nolock-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'nolock', dependencies: { 'portkey-ai': 'latest', ms: '2.1.3' } }));
    const run = await cli([dir, '--json'], served.env);
    const report = JSON.parse(run.stdout) as unknown;
    expectValidReport(report);
    expect(report.findings.map((finding) => finding.ruleId)).toContain('lockfile-missing');
    expect(report.findings.find((finding) => finding.ruleId === 'unpinned-spec')?.package?.name).toBe('portkey-ai');
    expect(report.project.lockfile).toBeNull();
    expect(run.code).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('--version and --help', () => {
  it('print and exit 0', async () => {
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--fail-on <severity>/);
    expect(help.stdout).toMatch(/Exit codes:/);
  });
});
