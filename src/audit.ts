import { builtinCatalog, CatalogIndex, type Catalog } from './ai/catalog.js';
import type { AiTier } from './ai/tiers.js';
import { runChecks } from './checks/index.js';
import type { CheckContext } from './checks/types.js';
import { readInventory } from './inventory/index.js';
import type { Inventory } from './inventory/model.js';
import type { Policy } from './policy.js';
import type { RegistryClient } from './registry/client.js';
import type { ProjectCooldown } from './registry/cooldown.js';
import type { RegistryFacts } from './registry/facts.js';
import { registryStage } from './registry/stage.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/model.js';
import { TOOL } from './version.js';

export interface AuditOptions {
  policy: Policy;
  /** The moment the audit is evaluated at (release ages etc.); defaults to the clock. */
  now?: Date;
  clock?: () => Date;
  catalog?: Catalog;
  /** Where registry facts come from; without one the registry stage is skipped. */
  registry?: RegistryClient;
  /** Called as registry documents arrive: packages done / total. */
  onProgress?: (done: number, total: number) => void;
  /** Registry facts gathered beforehand (auditInventory). */
  facts?: RegistryFacts;
  cooldown?: ProjectCooldown | null;
  notices?: string[];
}

/** The whole pipeline: project dir → inventory → checks → report. Never prints, never exits. */
export async function audit(dir: string, options: AuditOptions): Promise<Report> {
  const clock = options.clock ?? (() => new Date());
  const now = options.now ?? clock();
  const inventory = await readInventory(dir);
  const registry = await registryStage(inventory, { client: options.registry, policy: options.policy, now, tierOf: tierResolver(options), onProgress: options.onProgress });
  return auditInventory(inventory, { ...options, clock, now, ...registry });
}

function tierResolver(options: AuditOptions): (name: string) => AiTier | null {
  const catalog = new CatalogIndex(options.catalog ?? builtinCatalog);
  return (name) => options.policy.tierOverrides[name] ?? catalog.lookup(name)?.tool.tier ?? null;
}

export function auditInventory(inventory: Inventory, options: AuditOptions): Report {
  const clock = options.clock ?? (() => new Date());
  const now = options.now ?? clock();
  const catalog = new CatalogIndex(options.catalog ?? builtinCatalog);
  const tierOf = tierResolver(options);
  const context: CheckContext = { inventory, policy: options.policy, now, tierOf, facts: options.facts, cooldown: options.cooldown ?? null };
  const findings = runChecks(context);
  const { facts, notices } = options;
  return buildReport({ inventory, findings, policy: options.policy, now, generatedAt: clock(), tool: TOOL, catalog, tierOf, facts, errors: facts?.errors, notices });
}
