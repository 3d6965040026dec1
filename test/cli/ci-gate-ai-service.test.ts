import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { TOOL_HOMEPAGE } from '../../src/model/tool.js';
import { serveAiService, type ServedAiService } from '../ai/serve-ai-service.js';
import { cli, type CliRun } from '../helpers/cli.js';
import { expectValidReport } from '../helpers/report-schema.js';
import { sarifValidator } from '../helpers/sarif-validator.js';

interface SarifLog {
  runs: Array<{
    originalUriBaseIds: Record<string, { uri: string }>;
    versionControlProvenance?: Array<{ repositoryUri: string; revisionId: string }>;
    results: Array<{ ruleId: string; locations?: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }> }>;
  }>;
}

/** The acceptance run: a realistic AI service audited as a GitHub Actions step writing every format. */
let served: ServedAiService;
let out: string;
let run: CliRun;
const files = { json: '', sarif: '', markdown: '', summary: '' };

beforeAll(async () => {
  served = await serveAiService();
  out = await mkdtemp(join(tmpdir(), 'aca-ci-ai-'));
  Object.assign(files, { json: join(out, 'audit.json'), sarif: join(out, 'audit.sarif'), markdown: join(out, 'audit.md'), summary: join(out, 'summary.md') });
  await writeFile(files.summary, '');
  run = await cli([served.dir, '-o', `json=${files.json}`, '-o', `sarif=${files.sarif}`, '-o', `markdown=${files.markdown}`], {
    ...served.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKSPACE: dirname(served.dir),
    GITHUB_SERVER_URL: 'https://git.example.test',
    GITHUB_REPOSITORY: 'acme/support',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
  });
}, 120_000);
afterAll(async () => {
  await served.close();
  await rm(out, { recursive: true, force: true });
});

describe('CI gate on the ai-service fixture', () => {
  it('fails the gate on its high findings and writes a schema-valid JSON report', async () => {
    const report = JSON.parse(await readFile(files.json, 'utf8')) as unknown;
    expectValidReport(report);
    expect(report.errors).toEqual([]);
    expect(report.summary.bySeverity.high + report.summary.bySeverity.critical).toBeGreaterThan(0);
    expect(run.code).toBe(1);
  });

  it('writes SARIF whose every result points at an existing file of the project, AI findings at source or deployment lines', async () => {
    const log = JSON.parse(await readFile(files.sarif, 'utf8')) as SarifLog;
    const sarifRun = log.runs[0];
    const root = new URL(sarifRun?.originalUriBaseIds['%SRCROOT%']?.uri ?? '').pathname;
    expect(root.replace(/\/$/, '')).toBe(dirname(served.dir));
    const report = JSON.parse(await readFile(files.json, 'utf8')) as Report;
    expect(sarifRun?.results).toHaveLength(report.findings.length);
    for (const result of sarifRun?.results ?? []) {
      const uri = result.locations?.[0]?.physicalLocation.artifactLocation.uri ?? '';
      expect(uri.startsWith(`${basename(served.dir)}/`), uri).toBe(true);
      expect(existsSync(join(root, decodeURI(uri))), uri).toBe(true);
    }
    const aiFiles = (sarifRun?.results ?? []).filter((result) => result.ruleId.startsWith('ai-')).map((result) => result.locations?.[0]?.physicalLocation.artifactLocation.uri ?? '');
    expect(aiFiles.some((uri) => /\/(src\/.+\.ts|docker-compose\.yml|Dockerfile|proxy\/.+)$/.test(uri))).toBe(true);
    expect(sarifRun?.versionControlProvenance?.[0]).toMatchObject({ repositoryUri: 'https://git.example.test/acme/support', revisionId: '0123456789abcdef0123456789abcdef01234567' });
  });

  it("passes Microsoft's SARIF validator with no error and no warning", async (context) => {
    const validate = await sarifValidator();
    if (!validate) {
      context.skip(`@microsoft/sarif-multitool has no binary for ${process.platform}`);
      return;
    }
    const validation = await validate(files.sarif);
    expect(validation.errors).toEqual([]);
    // informationUri comes from package.json `homepage`; without one the validator warns about exactly that
    expect(validation.warnings).toEqual(TOOL_HOMEPAGE ? [] : ['SARIF2005: Warning_ProvideToolnformationUri runs[0].tool.driver | ai-chain-audit']);
  }, 120_000);

  it('writes Markdown with tables and appends it to the step summary', async () => {
    const markdown = await readFile(files.markdown, 'utf8');
    expect(markdown).toMatch(/^## ai-chain-audit: ❌ failed \(fail-on: high\)$/m);
    expect(markdown).toMatch(/^\| severity \| rule \| package \| location \| finding \|$/m);
    expect(markdown).toMatch(/^### AI tools \(\d+\)$/m);
    expect(await readFile(files.summary, 'utf8')).toBe(`${markdown}\n`);
  });

  it('annotates findings with file and line relative to the checkout, and keeps the text report on the terminal', () => {
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::error ') || line.startsWith('::warning '));
    expect(annotations.length).toBeGreaterThan(0);
    for (const line of annotations) expect(line).toMatch(new RegExp(`^::(error|warning) file=${basename(served.dir)}/[^,]+(,line=\\d+)?,title=`));
    expect(run.stdout).toMatch(/FAILED \(fail-on: high\)/);
  });
});
