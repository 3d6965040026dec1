import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Report } from '../../src/report/model.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Fails the test unless `report` (a parsed JSON report or a Report object) validates against schema/report.schema.json. */
export function expectValidReport(report: unknown): asserts report is Report {
  const plain = JSON.parse(JSON.stringify(report)) as unknown;
  const ok = validate(plain);
  expect(ok ? [] : validate.errors).toEqual([]);
}
