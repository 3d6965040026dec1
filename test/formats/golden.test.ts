import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/ai/catalog.js';
import { runChecks } from '../../src/checks/index.js';
import { formatJson } from '../../src/formats/json.js';
import { formatText } from '../../src/formats/text.js';
import { readInventory } from '../../src/inventory/index.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { materializeFixture } from '../helpers/fixtures.js';
import { context, TEST_CATALOG } from '../helpers/inventory.js';

/**
 * Golden files for the formatters: a report built from a real npm lockfile with fixed
 * clocks. Review the diff and run `npx vitest run test/formats -u` when output changes on purpose.
 */
const REGISTRY = 'https://registry.example.test/';
let report: Report;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const fixture = await materializeFixture('lockfiles/npm-v3-basic', { registry: REGISTRY });
  cleanup = fixture.cleanup;
  const inventory = { ...(await readInventory(fixture.dir)), root: '/project' };
  const checkContext = context(inventory, { trustedRegistries: [REGISTRY] });
  report = buildReport({
    inventory,
    findings: runChecks(checkContext),
    policy: checkContext.policy,
    now: new Date('2026-11-23T12:00:00Z'),
    generatedAt: new Date('2026-11-23T12:00:01Z'),
    tool: { name: 'ai-chain-audit', version: '0.0.0-test' },
    catalog: new CatalogIndex(TEST_CATALOG),
    tierOf: checkContext.tierOf,
  });
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
