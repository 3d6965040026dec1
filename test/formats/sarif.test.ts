import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/formats/sarif.js';
import { RULE_IDS } from '../../src/model/rule-id.js';
import type { Report } from '../../src/report/model.js';
import { useAiAppReport } from '../helpers/ai-app-report.js';
import { expectValidReport } from '../helpers/report-schema.js';
import { sarifValidator, type SarifValidation } from '../helpers/sarif-validator.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations?: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } } }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; justification: string }>;
}
interface SarifLog {
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri?: string; rules: Array<{ id: string; helpUri?: string; help: { text: string } }> } };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: unknown[] }>;
    results: SarifResult[];
  }>;
}

const HOME = 'https://tool.example.test/ai-chain-audit';
const fixture = useAiAppReport();

const parse = (text: string) => JSON.parse(text) as SarifLog;

describe('SARIF', () => {
  it('matches the golden file (fixed clock, fixed root)', async () => {
    const fixed = { ...fixture.report, project: { ...fixture.report.project, root: '/project' } };
    expectValidReport(fixed);
    await expect(formatSarif(fixed, { informationUri: HOME })).toMatchFileSnapshot('../golden/ai-app.sarif');
  });

  it('points every result at an existing file of the project, with a line', () => {
    const log = parse(formatSarif(fixture.report));
    const run = log.runs[0];
    expect(run?.results.length).toBeGreaterThan(3);
    const root = new URL(run?.originalUriBaseIds['%SRCROOT%']?.uri ?? '').pathname;
    for (const result of run?.results ?? []) {
      const location = result.locations?.[0]?.physicalLocation;
      expect(location?.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(existsSync(join(root, decodeURI(location?.artifactLocation.uri ?? '')))).toBe(true);
      if (result.ruleId !== 'lockfile-missing') expect(location?.region?.startLine).toBeGreaterThan(1);
    }
  });

  it('describes every rule with help, and results refer to them by index', () => {
    const run = parse(formatSarif(fixture.report, { informationUri: HOME })).runs[0];
    expect(run?.tool.driver.informationUri).toBe(HOME);
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(RULE_IDS);
    for (const rule of run?.tool.driver.rules ?? []) {
      expect(rule.help.text.length).toBeGreaterThan(40);
      expect(rule.helpUri).toBe(`${HOME}#rules`);
    }
    for (const result of run?.results ?? []) expect(run?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  it('maps severity to level, marks allow-listed findings as suppressed and reports errors as notifications', () => {
    const run = parse(formatSarif(fixture.report)).runs[0];
    const byKey = new Map(run?.results.map((result, index) => [`${result.ruleId} ${fixture.report.findings[index]?.package?.name}`, result]));
    expect(byKey.get('unpinned-spec portkey-ai')?.level).toBe('error');
    expect(byKey.get('unpinned-spec express')?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'Express follows semver strictly; reviewed by the platform team. (until 2027-01-31)' },
    ]);
    // the litellm entry expired, so its finding is an ordinary result again
    expect(byKey.get('unpinned-spec litellm')?.suppressions).toBeUndefined();
    expect(run?.invocations[0]?.executionSuccessful).toBe(false);
    expect(run?.invocations[0]?.toolExecutionNotifications).toHaveLength(1);
  });

  it('keeps fingerprints stable across runs, line shifts and version bumps of a declaration, and unique within a run', () => {
    const first = parse(formatSarif(fixture.report)).runs[0]?.results ?? [];
    const shifted: Report = {
      ...fixture.report,
      generatedAt: '2027-01-01T00:00:00.000Z',
      findings: fixture.report.findings.map((finding) => ({
        ...finding,
        location: finding.location ? { ...finding.location, line: (finding.location.line ?? 0) + 7 } : null,
        package: finding.package && finding.ruleId === 'unpinned-spec' ? { ...finding.package, version: '99.0.0' } : finding.package,
      })),
    };
    const second = parse(formatSarif(shifted)).runs[0]?.results ?? [];
    const prints = first.map((result) => result.partialFingerprints['aiChainAudit/v1']);
    expect(second.map((result) => result.partialFingerprints['aiChainAudit/v1'])).toEqual(prints);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('makes paths relative to the checkout when the project sits in a subfolder of it', () => {
    const run = parse(formatSarif(fixture.report, { sourceRoot: join(fixture.dir, '..') })).runs[0];
    const name = fixture.dir.split(/[\\/]/).pop();
    expect(run?.results[0]?.locations?.[0]?.physicalLocation.artifactLocation.uri).toMatch(new RegExp(`^${name}/(package\\.json|package-lock\\.json)$`));
  });
});

describe("Microsoft's SARIF validator", () => {
  let validate: ((file: string) => Promise<SarifValidation>) | null = null;
  let work: string;
  beforeAll(async () => {
    validate = await sarifValidator();
    work = await mkdtemp(join(tmpdir(), 'aca-sarif-'));
  }, 120_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('finds no error and no warning in the SARIF of a realistic AI service', async (context) => {
    if (!validate) {
      context.skip(`@microsoft/sarif-multitool has no binary for ${process.platform}`);
      return;
    }
    const file = join(work, 'ai-app.sarif');
    const versionControl = { repositoryUri: 'https://git.example.test/acme/support-bot', revisionId: '0123456789abcdef0123456789abcdef01234567', branch: 'refs/heads/main' };
    await writeFile(file, formatSarif(fixture.report, { informationUri: HOME, versionControl }));
    const validation = await validate(file);
    expect(validation.errors).toEqual([]);
    expect(validation.warnings).toEqual([]);
  }, 120_000);

  it('catches a broken log (the check can fail)', async (context) => {
    if (!validate) {
      context.skip(`@microsoft/sarif-multitool has no binary for ${process.platform}`);
      return;
    }
    const log = parse(formatSarif(fixture.report)) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    const first = log.runs[0]?.results[0];
    if (first) first.ruleIndex = 999;
    const file = join(work, 'broken.sarif');
    await writeFile(file, JSON.stringify(log));
    expect((await validate(file)).errors.length).toBeGreaterThan(0);
  }, 120_000);
});
