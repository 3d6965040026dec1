import { readdir, readFile } from 'node:fs/promises';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION } from '../src/report/model.js';
import { RULE_IDS } from '../src/model/rule-id.js';
import { expectValidReport } from './helpers/report-schema.js';

const GOLDEN = new URL('./golden/', import.meta.url);
const schema = JSON.parse(await readFile(new URL('../schema/report.schema.json', import.meta.url), 'utf8')) as {
  properties: { schemaVersion: { pattern: string } };
  $defs: { ruleId: { enum: string[] } };
};

const goldenReports = (await readdir(GOLDEN)).filter((name) => name.endsWith('.json'));

describe('report schema', () => {
  it('accepts the schemaVersion the code writes, which is semver', () => {
    expect(semver.valid(REPORT_SCHEMA_VERSION)).toBe(REPORT_SCHEMA_VERSION);
    expect(new RegExp(schema.properties.schemaVersion.pattern).test(REPORT_SCHEMA_VERSION)).toBe(true);
  });

  it('lists exactly the rule ids of src/model/rule-id.ts', () => {
    expect(schema.$defs.ruleId.enum).toEqual(RULE_IDS);
  });

  it.each(goldenReports)('validates the golden report %s', async (name) => {
    expectValidReport(JSON.parse(await readFile(new URL(name, GOLDEN), 'utf8')));
  });

  it('rejects a report that breaks it (the check can fail)', async () => {
    const report = JSON.parse(await readFile(new URL(goldenReports[0] ?? '', GOLDEN), 'utf8')) as { findings: unknown[]; summary: Record<string, unknown> };
    delete report.summary.passed;
    expect(() => expectValidReport(report)).toThrow();
  });
});
