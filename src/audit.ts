import { builtinCatalog, CatalogIndex, type Catalog } from './ai/catalog.js';
import { aiStage, catalogAnalysis, type AiStage } from './ai/stage.js';
import { runChecks } from './checks/index.js';
import { readInventory } from './inventory/index.js';
import type { Inventory } from './inventory/model.js';
import { isStrictTier, type AiTier } from './model/tier.js';
import { TOOL } from './model/tool.js';
import type { Policy } from './policy/policy.js';
import type { ProvenanceFacts } from './provenance/model.js';
import { provenanceStage, type ProvenanceStageOptions } from './provenance/stage.js';
import { openRegistryStage, type RegistryStage } from './registry/stage.js';
import type { RegistryClient } from './registry/transport/client.js';
import { clientTarballs, releaseDiffStage, type ReleaseDiffFacts } from './release-diff/stage.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/model.js';
import { toolCacheDir } from './util/tool-cache.js';

/** What a caller decides about an audit. */
export interface AuditOptions {
  policy: Policy;
  /** The moment the audit is evaluated at (release ages etc.); defaults to the clock. */
  now?: Date;
  clock?: () => Date;
  catalog?: Catalog;
  /** Where registry facts come from; without one the registry and provenance stages are skipped. */
  registry?: RegistryClient;
  /** Called as registry documents arrive: packages done / total. */
  onProgress?: (done: number, total: number) => void;
  /** Trust root and cache for the provenance stage (`--trusted-root`). */
  provenance?: ProvenanceStageOptions;
}

/** What the stages after the inventory established; a stage that did not run is absent. */
export interface StageResults {
  registry?: RegistryStage;
  provenance?: ProvenanceFacts | undefined;
  ai?: AiStage;
  releaseDiff?: ReleaseDiffFacts | undefined;
}

/** The whole pipeline: project dir → inventory → registry, AI, provenance, release diff → checks → report. Never prints, never exits. */
export async function audit(dir: string, options: AuditOptions): Promise<Report> {
  const now = options.now ?? (options.clock ?? (() => new Date()))();
  const client = options.registry;
  const catalog = new CatalogIndex(options.catalog ?? builtinCatalog);
  const tierOf = tierResolver(options.policy, catalog);
  const registryStage = await openRegistryStage(dir, client);
  const inventory = await readInventory(dir, { cacheDir: toolCacheDir(client?.config.flat.cache) }).catch(async (error: unknown) => {
    await registryStage.close();
    throw error;
  });
  const fetchTarball = client ? clientTarballs(client) : undefined;
  const [registry, ai] = await Promise.all([
    registryStage.run(inventory, { policy: options.policy, now, tierOf, onProgress: options.onProgress }),
    aiStage(inventory, { catalog, fetchTarball }),
  ]);
  const [provenance, releaseDiff] = await Promise.all([
    provenanceStage(inventory, registry.facts, client, now, options.provenance),
    releaseDiffStage(inventory, registry.facts, fetchTarball, { now, isStrictAiTool: (name) => isStrictTier(tierOf(name)) }),
  ]);
  return auditInventory(inventory, { ...options, now }, { registry, provenance, ai, releaseDiff }, catalog);
}

/** Checks and report for an inventory and what the stages found; without the AI stage, the catalog's answers. */
export function auditInventory(inventory: Inventory, options: AuditOptions, stages: StageResults = {}, catalog = new CatalogIndex(options.catalog ?? builtinCatalog)): Report {
  const clock = options.clock ?? (() => new Date());
  const now = options.now ?? clock();
  const tierOf = tierResolver(options.policy, catalog);
  const { registry, provenance, releaseDiff } = stages;
  const ai = stages.ai?.analysis ?? catalogAnalysis(inventory, catalog);
  const findings = runChecks({ inventory, policy: options.policy, now, tierOf, facts: registry?.facts, provenance, cooldown: registry?.cooldown ?? null, ai, releaseDiff });
  return buildReport({
    inventory,
    findings,
    policy: options.policy,
    now,
    generatedAt: clock(),
    tool: TOOL,
    tierOf,
    facts: registry?.facts,
    provenance,
    errors: [...(registry?.facts?.errors ?? []), ...(stages.ai?.errors ?? [])],
    notices: [...(registry?.notices ?? []), ...(stages.ai?.notices ?? []), ...(releaseDiff?.notices ?? [])],
    aiTools: ai.tools,
  });
}

function tierResolver(policy: Policy, catalog: CatalogIndex): (name: string) => AiTier | null {
  return (name) => policy.tierOverrides[name] ?? catalog.lookup(name)?.tool.tier ?? null;
}
