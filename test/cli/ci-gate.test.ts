import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { atLeast } from '../../src/model/severity.js';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import { cli } from '../helpers/cli.js';
import { expectValidReport } from '../helpers/report-schema.js';

let served: ServedProject;
let out: string;
beforeAll(async () => {
  served = await serveFixtureProject('projects/ai-app');
  out = await mkdtemp(join(tmpdir(), 'aca-ci-'));
});
afterAll(async () => {
  await served.close();
  await rm(out, { recursive: true, force: true });
});

async function writePolicy(policy: unknown): Promise<string> {
  const file = join(out, `policy-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(policy));
  return file;
}

async function jsonReport(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await cli([served.dir, '--json', ...args], { ...served.env, ...env });
  const report = JSON.parse(run.stdout) as unknown;
  expectValidReport(report);
  return { code: run.code, report, stderr: run.stderr };
}

describe('the CI gate on a realistic AI service', () => {
  it('fails on high findings by default and passes with --fail-on none', async () => {
    const failing = await jsonReport();
    expect(failing.report.findings.some((finding) => atLeast(finding.severity, 'high'))).toBe(true);
    expect(failing.code).toBe(1);
    const gateOff = await jsonReport(['--fail-on', 'none']);
    expect(gateOff.code).toBe(0);
    expect(gateOff.report.findings.length).toBe(failing.report.findings.length);
  });

  it('writes several formats in one run while the terminal gets text', async () => {
    const files = { json: join(out, 'audit.json'), sarif: join(out, 'audit.sarif'), markdown: join(out, 'audit.md') };
    const run = await cli([served.dir, '-o', `json=${files.json}`, '--output', `sarif=${files.sarif}`, '--output', `markdown=${files.markdown}`], served.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED \(fail-on: high\)/);
    expect(run.stderr).toContain(`Report written to ${files.sarif} (sarif).`);
    const report = JSON.parse(await readFile(files.json, 'utf8')) as unknown;
    expectValidReport(report);
    const sarif = JSON.parse(await readFile(files.sarif, 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results).toHaveLength(report.findings.length);
    expect(await readFile(files.markdown, 'utf8')).toMatch(/^\| severity \| rule \| package \| location \| finding \|$/m);
  });

  it('rejects an unknown format in --output and two outputs to the same file', async () => {
    const unknown = await cli([served.dir, '--output', 'html=report.html'], served.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('ai-chain-audit: Unknown format "html" in --output html=report.html (expected one of text, json, sarif, markdown, github).\n');
    const twice = await cli([served.dir, '-o', `json=${join(out, 'x')}`, '-o', `sarif=${join(out, 'x')}`], served.env);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/names .*x twice\.\n$/);
  });
});

describe('GitHub Actions', () => {
  it('prints annotations with file and line and appends the Markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(out, 'step-summary.md');
    await writeFile(summary, '# Earlier step\n\n');
    const env = { ...served.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dirname(served.dir) };
    const run = await cli([served.dir], env);
    expect(run.code).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    const located = new RegExp(`^::(error|warning|notice) file=${basename(served.dir)}/(package\\.json|package-lock\\.json),line=\\d+,title=[a-z-]+ \\((critical|high|medium|low|info)\\) `);
    const findingAnnotations = annotations.filter((line) => !line.startsWith('::notice title=ai-chain-audit::'));
    expect(findingAnnotations.length).toBeGreaterThan(0);
    expect(findingAnnotations.filter((line) => !located.test(line))).toEqual([]);
    expect(findingAnnotations.some((line) => line.startsWith('::error '))).toBe(true);
    const written = await readFile(summary, 'utf8');
    expect(written.startsWith('# Earlier step\n\n## ai-chain-audit: ❌ failed (fail-on: high)')).toBe(true);
    expect(written).toMatch(/^\| severity \| findings \|$/m);
  });

  it('keeps JSON on stdout parseable: annotations go to stderr then', async () => {
    const { code, stderr } = await jsonReport([], { GITHUB_ACTIONS: 'true' });
    expect(code).toBe(1);
    // the gating annotations are the unpinned AI packages' (a declared but never imported gateway is only possible, info)
    expect(stderr).toMatch(/^::error file=package\.json,line=\d+,title=unpinned-spec /m);
  });

  it('prints nothing of the kind outside GitHub Actions', async () => {
    const run = await cli([served.dir], served.env);
    expect(run.stdout).not.toMatch(/^::/m);
  });
});

describe('policy file', () => {
  it('a live allow-list entry silences its finding for the gate; the same entry expired does not', async () => {
    const { report } = await jsonReport();
    const gated = report.findings.filter((finding) => atLeast(finding.severity, 'high'));
    const allow = (expires: string) => gated.map((finding) => ({ rule: finding.ruleId, ...(finding.package ? { package: finding.package.name } : {}), reason: 'Accepted while we migrate.', expires }));

    const live = await jsonReport(['--policy', await writePolicy({ allow: allow('2999-12-31') })]);
    expect(live.code).toBe(0);
    expect(live.report.summary.passed).toBe(true);
    expect(live.report.summary.suppressed).toBe(gated.length);
    expect(live.report.findings.length).toBe(report.findings.length);
    expect(live.report.findings.filter((finding) => finding.suppressed)).toHaveLength(gated.length);
    expect(live.report.findings.find((finding) => finding.suppressed)?.suppressed).toEqual({ reason: 'Accepted while we migrate.', expires: '2999-12-31' });

    const expired = await jsonReport(['--policy', await writePolicy({ allow: allow('2020-01-01') })]);
    expect(expired.code).toBe(1);
    expect(expired.report.summary.suppressed).toBe(0);
    expect(expired.report.allowList.every((entry) => entry.status === 'expired' && entry.matches > 0)).toBe(true);
    expect(expired.report.notices.some((notice) => /expired on 2020-01-01: it no longer suppresses 1 finding/.test(notice))).toBe(true);
  });

  it('is read from the project root; --fail-on on the command line overrides its failOn', async () => {
    const file = join(served.dir, '.ai-chain-audit.json');
    await writeFile(file, JSON.stringify({ failOn: 'critical' }));
    try {
      const fromFile = await jsonReport();
      expect(fromFile.report.summary.failOn).toBe('critical');
      expect(fromFile.code).toBe(fromFile.report.findings.some((finding) => finding.severity === 'critical') ? 1 : 0);
      const flag = await jsonReport(['--fail-on', 'high']);
      expect(flag.report.summary.failOn).toBe('high');
      expect(flag.code).toBe(1);
    } finally {
      await rm(file);
    }
  });

  it('rejects unknown keys and bad values with one line and exit 2', async () => {
    const run = await cli([served.dir, '--policy', await writePolicy({ failOn: 'high', allowlist: [] })], served.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ai-chain-audit: Policy file \S+: unknown key "allowlist" \(did you mean "allow"\?\)\.\n$/);
    const bad = await cli([served.dir, '--policy', await writePolicy({ allow: [{ rule: 'recent-release', reason: 'x', expires: 'soon' }] })], served.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ai-chain-audit: Policy file \S+: allow\[0\]\.expires must be a date YYYY-MM-DD\.\n$/);
    const missing = await cli([served.dir, '--policy', join(out, 'nope.json')], served.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ai-chain-audit: Cannot read policy file \S+nope\.json: no such file\.\n$/);
  });
});
