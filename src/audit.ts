import { builtinCatalog, CatalogIndex, type Catalog } from './ai/catalog.js';
import { classify } from './ai/classify.js';
import { aiStage, type AiEvidence } from './ai/stage.js';
import type { AiTier } from './ai/tiers.js';
import { runChecks } from './checks/index.js';
import type { CheckContext } from './checks/types.js';
import { readInventory } from './inventory/index.js';
import type { Inventory } from './inventory/model.js';
import type { Policy } from './policy.js';
import type { RegistryClient } from './registry/client.js';
import type { ProjectCooldown } from './registry/cooldown.js';
import type { RegistryFacts } from './registry/facts.js';
import { startRegistryPrefetch } from './registry/prefetch.js';
import { registryStage } from './registry/stage.js';
import type { ProvenanceFacts } from './provenance/model.js';
import { provenanceStage, type ProvenanceStageOptions } from './provenance/stage.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/model.js';
import { TOOL } from './version.js';
import { toolCacheDir } from './util/tool-cache.js';
import { cacheAuthFor } from './util/cache-auth.js';

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
  /** Trust root and cache for the provenance stage (`--trusted-root`). */
  provenance?: ProvenanceStageOptions;
  /** Signatures and attestations verified beforehand (auditInventory). */
  provenanceFacts?: ProvenanceFacts;
  /** What the AI analysis read from the project files and AI packages' code (auditInventory). */
  aiEvidence?: AiEvidence;
}

/** The whole pipeline: project dir → inventory → checks → report. Never prints, never exits. */
export async function audit(dir: string, options: AuditOptions): Promise<Report> {
  const clock = options.clock ?? (() => new Date());
  const now = options.now ?? clock();
  const client = options.registry;
  // registry documents are fetched on a worker while the inventory is built; the inventory's
  // synchronous stretches would hold back the handing out of the names, so that comes first
  const prefetch = client ? startRegistryPrefetch(dir, client) : undefined;
  await prefetch?.catch(() => undefined); // its failure is reported by the registry stage
  const cacheAuth = client ? await cacheAuthFor(client.config.cacheKeyFile) : undefined;
  const inventory = await readInventory(dir, { cacheDir: toolCacheDir(options.registry?.config.flat.cache), ...(cacheAuth !== undefined ? { cacheAuth } : {}) }).catch(async (error: unknown) => {
    await (await prefetch?.catch(() => null))?.documents.close();
    throw error;
  });
  const catalog = new CatalogIndex(options.catalog ?? builtinCatalog);
  const fetchTarball = client ? (name: string, version: string, integrity: string | null) => (integrity ? client.fetchTarball(name, version, integrity) : Promise.reject(new Error('no integrity to verify the tarball against'))) : undefined;
  const [registry, aiEvidence] = await Promise.all([
    registryStage(inventory, { client, policy: options.policy, now, tierOf: tierResolver(options), onProgress: options.onProgress, prefetch }),
    aiStage(inventory, { catalog, fetchTarball }),
  ]);
  const provenanceFacts = await provenanceStage(inventory, registry.facts, options.registry, now, options.provenance);
  return auditInventory(inventory, { ...options, clock, now, provenanceFacts, ...registry, aiEvidence, notices: [...registry.notices, ...aiEvidence.notices] });
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
  const { aiEvidence } = options;
  const ai = classify({ packages: inventory.packages, catalog, signals: aiEvidence?.signals ?? [], packageEvidence: aiEvidence?.packageEvidence ?? [], unread: aiEvidence?.unread ?? [] });
  const context: CheckContext = { inventory, policy: options.policy, now, tierOf, facts: options.facts, provenance: options.provenanceFacts, cooldown: options.cooldown ?? null, ai };
  const findings = runChecks(context);
  const { facts, notices } = options;
  const errors = [...(facts?.errors ?? []), ...(aiEvidence?.errors ?? [])];
  return buildReport({ inventory, findings, policy: options.policy, now, generatedAt: clock(), tool: TOOL, catalog, tierOf, facts, provenance: options.provenanceFacts, errors, notices, aiTools: ai.tools });
}
