import type { Inventory, LockedPackage } from '../inventory/model.js';
import type { ReportError } from '../model/report-error.js';
import type { CatalogIndex } from './catalog.js';
import { classify, type AiAnalysis } from './classify.js';
import { scanDeployFiles } from './evidence/deploy.js';
import { scanEnvFiles } from './evidence/env.js';
import { scanPackages, type FetchTarball, type PackageEvidence, type PackageRef } from './evidence/package.js';
import { scanSource } from './evidence/source.js';
import type { Signal } from './evidence/types.js';
import { listProjectFiles } from './evidence/walk.js';

export interface AiEvidence {
  signals: Signal[];
  packageEvidence: PackageEvidence[];
  /** AI packages whose tarball could not be read, and why. */
  unread: Array<{ name: string; version: string; message: string }>;
  errors: ReportError[];
  notices: string[];
}

/** What the AI stage hands on: the classified tools and deployments, and what it could not read. */
export interface AiStage {
  analysis: AiAnalysis;
  errors: ReportError[];
  notices: string[];
}

export interface AiStageOptions {
  catalog: CatalogIndex;
  /** Reads a tarball through the registry client; without it package code is not read (and a notice says so). */
  fetchTarball?: FetchTarball | undefined;
}

const MAX_UNKNOWN_CANDIDATES = 40;
const AI_NAME = /(^|[-/@_.])(ai|llm|llms|gpt|openai|anthropic|claude|gemini|genai|langchain|prompts?|agents?|gateway|inference|embeddings?|tracing|observability|otel|telemetry|evals?)([-/_.]|$)/i;

/** The AI analysis: what the project's files and the AI packages' code show, classified into the four answers per tool. */
export async function aiStage(inventory: Inventory, options: AiStageOptions): Promise<AiStage> {
  const evidence = await readAiEvidence(inventory, options);
  const analysis = classify({ packages: inventory.packages, catalog: options.catalog, signals: evidence.signals, packageEvidence: evidence.packageEvidence, unread: evidence.unread });
  return { analysis, errors: evidence.errors, notices: evidence.notices };
}

/** The AI answers from the catalog alone, for the packages as published (no project files or package code read). */
export function catalogAnalysis(inventory: Inventory, catalog: CatalogIndex): AiAnalysis {
  return classify({ packages: inventory.packages, catalog, signals: [], packageEvidence: [] });
}

/** Everything the AI analysis reads: the project's files (source, .env, deployment) and AI packages' published code. */
export async function readAiEvidence(inventory: Inventory, options: AiStageOptions): Promise<AiEvidence> {
  const { catalog } = options;
  const candidates = packageCandidates(inventory.packages, catalog);
  // the packages' code is fetched while the project's own files are read
  const packages = options.fetchTarball && candidates.length > 0 ? scanPackages(candidates, options.fetchTarball, catalog) : null;
  packages?.catch(() => undefined); // awaited below; not an unhandled rejection if reading the project fails first
  const { files, truncated } = await listProjectFiles(inventory.root);
  const [source, env, deploy] = await Promise.all([
    scanSource(inventory.root, files, catalog),
    scanEnvFiles(inventory.root, files),
    scanDeployFiles(inventory.root, files, catalog),
  ]);
  const notices: string[] = [];
  if (truncated) notices.push('The project has more files than the AI analysis reads; some source and deployment files were not read.');
  if (source.skipped.length > 0) notices.push(`AI analysis: ${source.skipped.length} source file(s) were too large or unparsable and were not read (first: ${source.skipped[0]}).`);
  const errors: ReportError[] = [];
  let packageEvidence: PackageEvidence[] = [];
  let unread: AiEvidence['unread'] = [];
  if (packages) {
    const scanned = await packages;
    packageEvidence = scanned.evidence;
    unread = scanned.errors;
    // the code is supporting evidence: answers still come from the catalog, and the tool's evidence says the code was not read
    if (unread.length > 0) {
      const first = unread[0];
      notices.push(`AI analysis: the published code of ${unread.length} AI package(s) could not be read (first: ${first?.name}@${first?.version}: ${first?.message}); their answers rest on the catalog and the project files.`);
    }
  } else if (candidates.length > 0) {
    notices.push('AI analysis: package code was not read (no registry access); AI answers come from the catalog and the project files.');
  }
  return { signals: [...source.signals, ...env, ...deploy], packageEvidence, unread, errors, notices };
}

/** Catalogued AI packages, plus uncatalogued ones that look like AI tooling by name or sit right above a catalogued package. */
export function packageCandidates(packages: LockedPackage[], catalog: CatalogIndex): PackageRef[] {
  const readable = packages.filter((pkg) => pkg.source === 'registry' && pkg.integrity);
  const parents = new Set<string>();
  for (const pkg of readable) {
    if (!catalog.lookup(pkg.name)) continue;
    for (const path of pkg.paths) if (path.length >= 3) parents.add(path[path.length - 2] ?? '');
  }
  const catalogued = readable.filter((pkg) => catalog.lookup(pkg.name));
  const unknown = readable.filter((pkg) => !catalog.lookup(pkg.name) && (parents.has(pkg.name) || AI_NAME.test(pkg.name))).slice(0, MAX_UNKNOWN_CANDIDATES);
  return [...catalogued, ...unknown].map((pkg) => ({ name: pkg.name, version: pkg.version, integrity: pkg.integrity }));
}
