import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJson } from '../../src/formats/json.js';
import { formatText } from '../../src/formats/text.js';
import type { Report } from '../../src/report/model.js';
import { fixtureReport } from '../helpers/ai-app-report.js';

/**
 * Golden files for the formatters: a report built from a real npm lockfile with fixed
 * clocks. Review the diff and run `npx vitest run test/formats -u` when output changes on purpose.
 */
let report: Report;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ report, cleanup } = await fixtureReport('lockfiles/npm-v3-basic', { root: '/project' }));
});
afterAll(async () => {
  await cleanup();
});

describe('formatters (golden files)', () => {
  it('text without colour', async () => {
    await expect(formatText(report, { color: false })).toMatchFileSnapshot('../golden/npm-v3-basic.txt');
  });

  it('text with colour uses ANSI escapes, and only there', () => {
    const colored = formatText(report, { color: true });
    expect(colored).toMatch(/\u001b\[/);
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatText(report, { color: false }));
  });

  it('json', async () => {
    await expect(formatJson(report)).toMatchFileSnapshot('../golden/npm-v3-basic.json');
  });
});
