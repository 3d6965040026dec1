import { builtinCatalog, CatalogIndex, type Catalog } from './ai/catalog.js';
import type { AiTier } from './ai/tiers.js';
import { runChecks } from './checks/index.js';
import type { CheckContext } from './checks/types.js';
import { readInventory } from './inventory/index.js';
import type { Inventory } from './inventory/model.js';
import type { Policy } from './policy.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/model.js';
import { TOOL } from './version.js';

export interface AuditOptions {
  policy: Policy;
  /** The moment the audit is evaluated at (release ages etc.); defaults to the clock. */
  now?: Date;
  clock?: () => Date;
  catalog?: Catalog;
}

/** The whole pipeline: project dir → inventory → checks → report. Never prints, never exits. */
export async function audit(dir: string, options: AuditOptions): Promise<Report> {
  const clock = options.clock ?? (() => new Date());
  const inventory = await readInventory(dir);
  return auditInventory(inventory, { ...options, clock });
}

export function auditInventory(inventory: Inventory, options: AuditOptions): Report {
  const clock = options.clock ?? (() => new Date());
  const now = options.now ?? clock();
  const catalog = new CatalogIndex(options.catalog ?? builtinCatalog);
  const tierOf = (name: string): AiTier | null => options.policy.tierOverrides[name] ?? catalog.lookup(name)?.tool.tier ?? null;
  const context: CheckContext = { inventory, policy: options.policy, now, tierOf };
  const findings = runChecks(context);
  return buildReport({ inventory, findings, policy: options.policy, now, generatedAt: clock(), tool: TOOL, catalog, tierOf });
}
