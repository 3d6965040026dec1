import { afterAll, beforeAll } from 'vitest';
import { CatalogIndex } from '../../src/ai/catalog.js';
import { catalogAnalysis } from '../../src/ai/stage.js';
import { runChecks } from '../../src/checks/index.js';
import { readInventory } from '../../src/inventory/index.js';
import type { Policy } from '../../src/policy/policy.js';
import { buildReport } from '../../src/report/build.js';
import type { Report, ReportError } from '../../src/report/model.js';
import { materializeFixture } from './fixtures.js';
import { context, TEST_CATALOG } from './inventory.js';

const REGISTRY = 'https://registry.example.test/';

export interface FixtureReportOptions {
  root?: string;
  policy?: Partial<Policy>;
  errors?: ReportError[];
}

/** The report of a fixture project built with fixed clocks and the test catalog, without a registry. */
export async function fixtureReport(fixturePath: string, options: FixtureReportOptions = {}): Promise<{ report: Report; dir: string; cleanup(): Promise<void> }> {
  const fixture = await materializeFixture(fixturePath, { registry: REGISTRY });
  const read = await readInventory(fixture.dir);
  const inventory = { ...read, root: options.root ?? read.root };
  const checkContext = context(inventory, { trustedRegistries: [REGISTRY], ...options.policy });
  const report = buildReport({
    inventory,
    findings: runChecks(checkContext),
    policy: checkContext.policy,
    now: new Date('2026-11-23T12:00:00Z'),
    generatedAt: new Date('2026-11-23T12:00:01Z'),
    tool: { name: 'ai-chain-audit', version: '0.0.0-test' },
    aiTools: catalogAnalysis(inventory, new CatalogIndex(TEST_CATALOG)).tools,
    tierOf: checkContext.tierOf,
    ...(options.errors ? { errors: options.errors } : {}),
  });
  return { report, dir: fixture.dir, cleanup: fixture.cleanup };
}

/**
 * The report of the `projects/ai-app` fixture (an AI support bot with gateways and cost tools)
 * with fixed clocks and a policy that suppresses one finding, has one expired entry and one
 * entry that matches nothing: every part of the CI formats is exercised.
 */
export function aiAppReport(options: { root?: string; policy?: Partial<Policy> } = {}): Promise<{ report: Report; dir: string; cleanup(): Promise<void> }> {
  return fixtureReport('projects/ai-app', {
    root: options.root,
    policy: {
      allow: [
        { rule: 'unpinned-spec', package: 'express', version: null, reason: 'Express follows semver strictly; reviewed by the platform team.', expires: '2027-01-31' },
        { rule: 'unpinned-spec', package: 'litellm', version: null, reason: 'Waiting for the gateway migration.', expires: '2026-10-01' },
        { rule: 'recent-release', package: 'openai', version: '5.x', reason: 'Vendor SDK, pinned.', expires: null },
      ],
      ...options.policy,
    },
    errors: [{ scope: 'registry', message: 'Facts for 2 packages could not be fetched (HTTP 503 from the registry).' }],
  });
}

/**
 * `aiAppReport`, built once for the test file that calls this (in its `beforeAll`, cleaned up in
 * its `afterAll`): read `report` and `dir` inside the tests.
 */
export function useAiAppReport(options: { root?: string; policy?: Partial<Policy> } = {}): { readonly report: Report; readonly dir: string } {
  const shared = {} as { report: Report; dir: string; cleanup?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(shared, await aiAppReport(options));
  });
  afterAll(async () => {
    await shared.cleanup?.();
  });
  return shared;
}
