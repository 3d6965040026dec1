import { builtinCatalog, CatalogIndex, type Catalog } from './ai/catalog.js';
import { PackageEvidenceCache } from './ai/evidence/package-cache.js';
import { ReleaseDiffCache } from './release-diff/cache.js';
import { aiStage, catalogAnalysis, type AiStage } from './ai/stage.js';
import { runChecks } from './checks/index.js';
import { readInventory } from './inventory/index.js';
import type { Inventory } from './inventory/model.js';
import { isStrictTier, type AiTier } from './model/tier.js';
import { TOOL } from './model/tool.js';
import type { Policy } from './policy/policy.js';
import type { ProvenanceFacts } from './provenance/model.js';
import { clientJsonFetcher, prefetchSigningKeys } from './provenance/fetch-json.js';
import { signaturePrecheck } from './provenance/precheck.js';
import { openSignatureCache, provenanceStage, type ProvenanceStageOptions } from './provenance/stage.js';
import { runTarballs } from './registry/tarballs.js';
import { openRegistryStage, type RegistryStage } from './registry/stage.js';
import type { RegistryClient } from './registry/transport/client.js';
import { clientTarballs, releaseDiffStage, type ReleaseDiffFacts } from './release-diff/stage.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/model.js';
import { toolCacheDir } from './util/tool-cache.js';
import { join } from 'node:path';
import { pythonErrors } from './checks/python-findings.js';
import type { ReportError } from './model/report-error.js';
import { loadTrustRoot } from './provenance/trust-root.js';
import type { IndexEnvironment } from './python/index-config.js';
import type { IndexClientOptions } from './python/simple-api.js';
import { projectFileAccess, runPythonStage, type GatewayImage, type PythonStageResult } from './python/stage.js';
import type { OciOptions } from './python/oci-image.js';
import { scanDeployFiles } from './ai/evidence/deploy.js';
import { cacheAuthFor } from './util/cache-auth.js';

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
  /** False for a project folder made for one run (a `--base` side): its inventory is not worth caching. */
  inventoryCache?: boolean;
  /** How many source files the AI analysis parses (`--max-source-files`). */
  maxSourceFiles?: number;
  /** The environment Python index configuration is read from (PIP_*, UV_*, pip.conf, uv.toml); without it the Python stage reads pins only. */
  python?: PythonAuditOptions;
}

export interface PythonAuditOptions {
  environment: IndexEnvironment;
  /** Overrides for tests (retries, timeouts); the cache folder defaults to the tool's cache. */
  client?: Partial<IndexClientOptions>;
  /** Resolve gateway image tags through their registries (`--resolve-images`); otherwise their age is reported unchecked. */
  resolveImages?: boolean;
  oci?: OciOptions;
}

/** What the stages after the inventory established; a stage that did not run is absent. */
export interface StageResults {
  registry?: RegistryStage;
  provenance?: ProvenanceFacts | undefined;
  ai?: AiStage;
  python?: PythonStageResult & { fileProblems: ReportError[] };
  releaseDiff?: ReleaseDiffFacts | undefined;
}

/** The whole pipeline: project dir → inventory → registry, AI, provenance, release diff → checks → report. Never prints, never exits. */
export async function audit(dir: string, options: AuditOptions): Promise<Report> {
  const now = options.now ?? (options.clock ?? (() => new Date()))();
  const client = options.registry;
  const catalog = new CatalogIndex(options.catalog ?? builtinCatalog);
  const tierOf = tierResolver(options.policy, catalog);
  const registryStage = await openRegistryStage(dir, client, { policy: options.policy, now, tierOf });
  if (client) prefetchSigningKeys(client);
  const cacheAuth = client ? await cacheAuthFor(client.config.cacheKeyFile) : undefined;
  const inventory = await readInventory(dir, { cacheDir: options.inventoryCache === false ? null : toolCacheDir(client?.config.flat.cache), ...(cacheAuth !== undefined ? { cacheAuth } : {}) }).catch(async (error: unknown) => {
    await registryStage.close();
    throw error;
  });
  const tarballs = client ? runTarballs(client) : undefined;
  const fetchTarball = tarballs ? (name: string, version: string, integrity: string | null, maxBytes: number) => (integrity ? tarballs(name, version, integrity, maxBytes) : Promise.reject(new Error('no integrity to verify the tarball against'))) : undefined;
  const cacheDir = client ? toolCacheDir(client.config.flat.cache) : null;
  // opened once: the signature precheck skips what an earlier run verified, and the provenance stage uses it after
  const signatures = client ? openSignatureCache(client, options.provenance) : undefined;
  const [evidenceCache, releaseDiffCache] = client ? await Promise.all([PackageEvidenceCache.open(cacheDir, options.catalog ?? builtinCatalog, cacheAuth ?? null), ReleaseDiffCache.open(cacheDir, cacheAuth ?? null)]) : [];
  const [registry, ai, python] = await Promise.all([
    registryStage.run(inventory, { policy: options.policy, now, tierOf, onProgress: options.onProgress, onFacts: client ? signaturePrecheck(clientJsonFetcher(client), (name) => client.registryFor(name), now, signatures) : undefined }),
    aiStage(inventory, { catalog, fetchTarball, evidenceCache, maxSourceFiles: options.maxSourceFiles }),
    pythonStage(dir, options, catalog, client),
  ]);
  const evidenceSaved = evidenceCache?.save();
  const signatureCache = await signatures;
  const [provenance, releaseDiff] = await Promise.all([
    provenanceStage(inventory, registry.facts, client, now, { ...options.provenance, ...(signatureCache ? { signatures: signatureCache } : {}) }),
    releaseDiffStage(inventory, registry.facts, tarballs ? clientTarballs(tarballs) : undefined, { now, windowMs: options.policy.releaseDiffWindow, isStrictAiTool: (name) => isStrictTier(tierOf(name)), cache: releaseDiffCache }),
  ]);
  const releaseDiffSaved = releaseDiffCache?.save();
  const report = auditInventory(inventory, { ...options, now }, { registry, provenance, ai, python, releaseDiff }, catalog);
  // the caches are written on the thread pool while the later stages and the checks run
  await Promise.all([registry.saved, evidenceSaved, releaseDiffSaved]);
  return report;
}

/** Checks and report for an inventory and what the stages found; without the AI stage, the catalog's answers. */
export function auditInventory(inventory: Inventory, options: AuditOptions, stages: StageResults = {}, catalog = new CatalogIndex(options.catalog ?? builtinCatalog)): Report {
  const clock = options.clock ?? (() => new Date());
  const now = options.now ?? clock();
  const tierOf = tierResolver(options.policy, catalog);
  const { registry, provenance, releaseDiff } = stages;
  const ai = stages.ai?.analysis ?? catalogAnalysis(inventory, catalog);
  const python = stages.python;
  const findings = runChecks({ inventory, policy: options.policy, now, tierOf, facts: registry?.facts, provenance, cooldown: registry?.cooldown ?? null, ai, releaseDiff, ...(python ? { python } : {}) });
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
    errors: [...(registry?.facts?.errors ?? []), ...(stages.ai?.errors ?? []), ...(python ? [...python.errors, ...python.fileProblems, ...pythonErrors(python.subjects)] : [])],
    notices: [...(registry?.notices ?? []), ...(stages.ai?.notices ?? []), ...(python?.notices ?? []), ...(releaseDiff?.notices ?? [])],
    ...(python ? { python: python.subjects } : {}),
    aiTools: ai.tools,
  });
}

/**
 * Python AI packages beside the Node app: pins always; their index (from the environment's pip/uv
 * configuration and the project's files) only with a registry client, offline when it is.
 */
async function pythonStage(dir: string, options: AuditOptions, catalog: CatalogIndex, client: RegistryClient | undefined): Promise<StageResults['python']> {
  const access = await projectFileAccess(dir);
  const offline = client?.offline ?? false;
  const cache = toolCacheDir(client?.config.flat.cache);
  const cacheAuth = client ? await cacheAuthFor(client.config.cacheKeyFile) : null;
  const result = await runPythonStage({
    files: access.files,
    readFile: access.readFile,
    catalog,
    environment: options.python?.environment ?? { env: {}, platform: process.platform, readFile: async () => null },
    client: { cacheDir: cache && join(cache, 'pypi'), cacheAuth, offline, ...options.python?.client },
    trustRoot: async () => (await loadTrustRoot({ file: options.provenance?.trustedRootFile ?? null, offline, tufCachePath: tufCacheOf(client, options.provenance), ...(options.provenance?.refreshTrustRoot ? { refresh: options.provenance.refreshTrustRoot } : {}) })).trustedRoot,
    fetchFacts: Boolean(client && options.python),
    images: await gatewayImages(dir, access.files, catalog),
    resolveImages: Boolean(options.python?.resolveImages),
    ...(options.python?.oci ? { oci: options.python.oci } : {}),
  });
  return { ...result, fileProblems: access.problems.map((problem) => ({ scope: `python:${problem.file}`, message: problem.message })) };
}

/** The catalogued gateway images the project's compose files, manifests and Dockerfiles run. */
async function gatewayImages(dir: string, files: string[], catalog: CatalogIndex): Promise<GatewayImage[]> {
  const signals = await scanDeployFiles(dir, files, catalog);
  return signals.flatMap((signal): GatewayImage[] => {
    if (signal.fact.type !== 'image') return [];
    const tool = catalog.toolByImage(signal.fact.image.repository);
    return tool ? [{ image: signal.fact.image, tool: tool.name, tier: tool.tier, file: signal.file ?? '', line: signal.line ?? null }] : [];
  });
}

function tufCacheOf(client: RegistryClient | undefined, provenance: ProvenanceStageOptions | undefined): string | null {
  if (provenance?.tufCachePath !== undefined) return provenance.tufCachePath;
  const flat = client?.config.flat;
  if (typeof flat?.tufCache === 'string') return flat.tufCache;
  return typeof flat?.cache === 'string' ? join(flat.cache, '_tuf') : null;
}

function tierResolver(policy: Policy, catalog: CatalogIndex): (name: string) => AiTier | null {
  return (name) => policy.tierOverrides[name] ?? catalog.lookup(name)?.tool.tier ?? null;
}
