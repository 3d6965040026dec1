import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { pullRequestRepo, type PullRequestRepo } from '../helpers/pr-repo.js';
import { sarifValidator } from '../helpers/sarif-validator.js';

let pr: PullRequestRepo;
let same: PullRequestRepo;
let out: string;
let policy: string;
let acceptingScript: string;

/** The loopback registry speaks plain http, which every lockfile entry shows; the tests' policy accepts that. */
const LOOPBACK_HTTP = { rule: 'lockfile-untrusted-source', reason: 'loopback test registry over http' };

beforeAll(async () => {
  [pr, same] = await Promise.all([pullRequestRepo(), pullRequestRepo({ alreadyAtBase: true })]);
  out = await mkdtemp(join(tmpdir(), 'aca-base-cli-'));
  policy = join(out, 'policy.json');
  await writeFile(policy, JSON.stringify({ allow: [LOOPBACK_HTTP] }));
  acceptingScript = join(out, 'policy-script.json');
  await writeFile(acceptingScript, JSON.stringify({ allow: [LOOPBACK_HTTP, { rule: 'install-script', package: 'native-build', reason: 'builds a native addon' }] }));
}, 60_000);
afterAll(async () => {
  await Promise.all([pr?.close(), same?.close()]);
  await rm(out, { recursive: true, force: true });
});

async function jsonRun(repo: PullRequestRepo, args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await cli([repo.repo.dir, '--json', '--fail-on', 'low', '--policy', policy, ...args], repo.env);
  return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

const newFindings = (report: Report) => report.findings.filter((finding) => finding.baselineState === 'new' && !finding.suppressed).map((finding) => `${finding.ruleId} ${finding.package?.name}@${finding.package?.version}`);

describe('--base: a pull request that adds a dependency with an install script and bumps an AI SDK', () => {
  it('exits 1 only because of the new install script, with exactly those two package changes in the diff', async () => {
    const { code, report } = await jsonRun(pr, ['--base', 'HEAD~1']);
    expect(code).toBe(1);
    expect(report.schemaVersion).toBe('1.5.0');
    expect(report.diff?.base).toEqual({ ref: 'HEAD~1', commit: pr.base, lockfile: 'package-lock.json', lockfileFormat: 'npm' });
    expect(report.diff?.gate).toBe('new');
    expect(report.diff?.packages.added.map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual(['native-build@1.0.0']);
    expect(report.diff?.packages.changed.map((change) => `${change.name} ${change.from.version} -> ${change.to.version}`)).toEqual(['openai 5.23.1 -> 5.23.2']);
    expect(report.diff?.packages.removed).toEqual([]);
    expect(newFindings(report)).toEqual(['install-script native-build@1.0.0']);
    // without the base, the same findings at --fail-on low would fail on what was already there
    const unchangedLow = report.findings.filter((finding) => finding.baselineState === 'unchanged' && !finding.suppressed && finding.severity !== 'info');
    expect(unchangedLow.length).toBeGreaterThan(0);
    expect(report.findings.every((finding) => finding.baselineState === 'new' || finding.baselineState === 'unchanged')).toBe(true);
  }, 60_000);

  it('passes when that script is accepted, and --fail-on-existing brings back the old gate', async () => {
    const accepted = await cli([pr.repo.dir, '--json', '--fail-on', 'low', '--policy', acceptingScript, '--base', 'HEAD~1'], pr.env);
    expect(accepted.code).toBe(0);
    const existing = await cli([pr.repo.dir, '--json', '--fail-on', 'low', '--policy', acceptingScript, '--base', 'HEAD~1', '--fail-on-existing'], pr.env);
    expect(existing.code).toBe(1);
    expect((JSON.parse(existing.stdout) as Report).diff?.gate).toBe('all');
  }, 60_000);

  it('exits 0 with the same findings when the dependency was already there at the base', async () => {
    const { code, report } = await jsonRun(same, ['--base', 'HEAD~1']);
    expect(code).toBe(0);
    expect(report.diff?.packages.added).toEqual([]);
    expect(report.diff?.packages.changed.map((change) => change.name)).toEqual(['openai']);
    expect(report.findings.filter((finding) => finding.package?.name === 'native-build' && !finding.suppressed).map((finding) => [finding.ruleId, finding.baselineState])).toEqual([['install-script', 'unchanged']]);
    expect(newFindings(report)).toEqual([]);
    expect((await jsonRun(same, ['--base', 'HEAD~1', '--fail-on-existing'])).code).toBe(1);
  }, 60_000);

  it('Markdown leads with the diff; text shows its summary; SARIF results carry baselineState', async () => {
    const sarifFile = join(out, 'audit.sarif');
    const markdown = await cli([pr.repo.dir, '--format', 'markdown', '--fail-on', 'low', '--policy', policy, '--base', 'HEAD~1', '-o', `sarif=${sarifFile}`], pr.env);
    expect(markdown.code).toBe(1);
    const sections = markdown.stdout.split(/^### /m).map((section) => section.split('\n')[0]);
    expect(sections[1]).toBe('What this pull request changes');
    expect(markdown.stdout).toMatch(/^## ai-chain-audit: ❌ failed \(fail-on: low, new findings only\)$/m);
    expect(markdown.stdout).toContain('| added | `native-build@1.0.0` | direct | **low** `install-script` |');
    expect(markdown.stdout).toContain('| changed | `openai` | `5.23.1` → `5.23.2` |  |');

    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string; properties: { package: { name: string } | null } }> }> };
    const results = sarif.runs[0]?.results ?? [];
    expect(results.filter((result) => result.baselineState === 'new' && result.ruleId === 'install-script').map((result) => result.properties.package?.name)).toEqual(['native-build']);
    expect(results.every((result) => result.baselineState === 'new' || result.baselineState === 'unchanged')).toBe(true);
    const validate = await sarifValidator();
    if (validate) expect((await validate(sarifFile)).errors).toEqual([]);

    const text = await cli([pr.repo.dir, '--fail-on', 'low', '--policy', policy, '--base', 'HEAD~1'], pr.env);
    expect(text.stdout).toContain(`Against HEAD~1 (${pr.base.slice(0, 12)}): 1 added, 1 changed, 0 removed;`);
    expect(text.stdout).toContain('  + native-build@1.0.0 (direct)  [new: install-script]');
    expect(text.stdout).toContain('  ~ openai 5.23.1 -> 5.23.2');
    expect(text.stdout).toMatch(/FAILED \(fail-on: low, new findings only\)/);

    const quiet = await cli([pr.repo.dir, '--fail-on', 'low', '--policy', policy, '--base', 'HEAD~1', '--quiet'], pr.env);
    const bullets = quiet.stdout.match(/^ {2}● .*$/gm) ?? [];
    expect(bullets).toHaveLength(1);
    expect(bullets[0]).toMatch(/^ {2}● install-script native-build@1\.0\.0 .*\[new\]$/);
  }, 90_000);

  it('--base-lockfile: the current manifests with the lockfile given', async () => {
    const lockfile = join(out, 'main-package-lock.json');
    await writeFile(lockfile, pr.repo.git('show', 'HEAD~1:package-lock.json'));
    const { code, report } = await jsonRun(pr, ['--base-lockfile', lockfile]);
    expect(code).toBe(1);
    expect(report.diff?.base).toEqual({ ref: lockfile, commit: null, lockfile: 'package-lock.json', lockfileFormat: 'npm' });
    expect(report.diff?.packages.added.map((pkg) => pkg.name)).toEqual(['native-build']);
    expect(report.diff?.packages.changed.map((change) => change.name)).toEqual(['openai']);
    expect(newFindings(report)).toEqual(['install-script native-build@1.0.0']);
  }, 60_000);
});

describe('--base: one-line errors, exit 2', () => {
  it('a ref that names no commit', async () => {
    const run = await cli([pr.repo.dir, '--base', 'no-such-branch'], pr.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`ai-chain-audit: --base no-such-branch: no such commit in ${pr.repo.dir}.\n`);
  });

  it('a folder outside git', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aca-nogit-'));
    await writeFile(join(dir, 'package.json'), '{"name":"x"}');
    const run = await cli([dir, '--base', 'main'], pr.env);
    await rm(dir, { recursive: true, force: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`ai-chain-audit: --base needs a git repository, and ${dir} is not in one; use --base-lockfile <file> for a tree outside git.\n`);
  });

  it('two bases, or --fail-on-existing without one', async () => {
    const both = await cli([pr.repo.dir, '--base', 'HEAD~1', '--base-lockfile', 'x.json'], pr.env);
    expect([both.code, both.stderr]).toEqual([2, 'ai-chain-audit: --base and --base-lockfile name two bases; give one.\n']);
    const alone = await cli([pr.repo.dir, '--fail-on-existing'], pr.env);
    expect([alone.code, alone.stderr]).toEqual([2, 'ai-chain-audit: --fail-on-existing needs a base: --base <git-ref> or --base-lockfile <file>.\n']);
  });
});
