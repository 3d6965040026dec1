import type { Inventory, LockedPackage } from '../inventory/model.js';
import { nestedLockfilesNotice } from '../inventory/nested-lockfiles.js';
import type { ReportError } from '../model/report-error.js';
import type { CatalogIndex } from './catalog.js';
import { classify, type AiAnalysis } from './classify.js';
import { scanDeployFiles } from './evidence/deploy.js';
import { scanEnvFiles } from './evidence/env.js';
import type { PackageEvidenceCache } from './evidence/package-cache.js';
import { DEFAULT_PACKAGE_LIMITS, scanPackages, type FetchTarball, type PackageEvidence, type PackageRef } from './evidence/package.js';
import { DEFAULT_SOURCE_LIMITS, isSourceFile, scanSource } from './evidence/source.js';
import { coverageNotices, parseOptions } from './evidence/coverage.js';
import type { Signal } from './evidence/types.js';
import { listProjectFiles } from '../util/project-files.js';
import { noAiToolsNotice } from './none-found.js';
import { skippedDeployFiles, skippedDeployNotice } from './evidence/deploy-skips.js';
import { readFailureError } from './read-failure.js';

export interface AiEvidence {
  signals: Signal[];
  packageEvidence: PackageEvidence[];
  /** AI packages whose tarball could not be read, and why. */
  unread: Array<{ name: string; version: string; message: string; failure?: 'integrity' | 'limit' | null }>;
  errors: ReportError[];
  notices: string[];
  /** What was read, for the "nothing AI-shaped found" line. */
  coverage?: { sourceFiles: number; configFiles: number };
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
  /** How many source files the AI analysis parses (`--max-source-files`); files that import AI packages or name endpoints come first. */
  maxSourceFiles?: number | undefined;
  /** Scan results by tarball integrity, from earlier runs (saved by the caller). */
  evidenceCache?: PackageEvidenceCache | undefined;
}

const MAX_UNKNOWN_CANDIDATES = 40;
const AI_NAME = /(^|[-/@_.])(ai|llm|llms|gpt|openai|anthropic|claude|gemini|genai|langchain|prompts?|agents?|gateway|inference|embeddings?|tracing|observability|otel|telemetry|evals?)([-/_.]|$)/i;

/** The AI analysis: what the project's files and the AI packages' code show, classified into the four answers per tool. */
export async function aiStage(inventory: Inventory, options: AiStageOptions): Promise<AiStage> {
  const evidence = await readAiEvidence(inventory, options);
  const analysis = classify({ packages: inventory.packages, catalog: options.catalog, signals: evidence.signals, packageEvidence: evidence.packageEvidence, unread: evidence.unread });
  const none = noAiToolsNotice(analysis.tools, evidence.coverage);
  return { analysis, errors: evidence.errors, notices: [...evidence.notices, ...(none ? [none] : [])] };
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
  const packages = options.fetchTarball && candidates.length > 0 ? scanPackages(candidates, options.fetchTarball, catalog, DEFAULT_PACKAGE_LIMITS, options.evidenceCache) : null;
  packages?.catch(() => undefined); // awaited below; not an unhandled rejection if reading the project fails first
  const { files, truncated, symlinks = [], tooDeep = [] } = await listProjectFiles(inventory.root);
  const deployNotices: string[] = [];
  const [source, env, deploy, skippedDeploy] = await Promise.all([
    scanSource(inventory.root, files, catalog, { ...DEFAULT_SOURCE_LIMITS, ...(options.maxSourceFiles ? { maxFiles: options.maxSourceFiles } : {}) }, await parseOptions(inventory.root)),
    scanEnvFiles(inventory.root, files),
    scanDeployFiles(inventory.root, files, catalog, deployNotices),
    skippedDeployFiles(inventory.root, symlinks, tooDeep),
  ]);
  const notices: string[] = [...deployNotices];
  const nested = nestedLockfilesNotice(files, inventory.importers);
  if (nested) notices.push(nested);
  const skippedNotice = skippedDeployNotice(skippedDeploy);
  if (skippedNotice) notices.push(skippedNotice);
  if (truncated) notices.push('The project has more files than the AI analysis reads; some source and deployment files were not read.');
  notices.push(...coverageNotices(source));
  const errors: ReportError[] = [];
  let packageEvidence: PackageEvidence[] = [];
  let unread: AiEvidence['unread'] = [];
  if (packages) {
    const scanned = await packages;
    packageEvidence = scanned.evidence;
    unread = scanned.errors;
    const failed = unread.flatMap((failure) => readFailureError(failure) ?? []);
    errors.push(...failed);
    const merelyUnread = unread.filter((failure) => !failure.failure);
    // the code is supporting evidence: answers still come from the catalog, and the tool's evidence says the code was not read
    if (merelyUnread.length > 0) {
      const first = merelyUnread[0];
      notices.push(`AI analysis: the published code of ${merelyUnread.length} AI package(s) could not be read (first: ${first?.name}@${first?.version}: ${first?.message}); their answers rest on the catalog and the project files.`);
    }
  } else if (candidates.length > 0) {
    notices.push('AI analysis: package code was not read (no registry access); AI answers come from the catalog and the project files.');
  }
  return { signals: [...source.signals, ...env, ...deploy], packageEvidence, unread, errors, notices, coverage: { sourceFiles: source.filesParsed, configFiles: files.length - files.filter(isSourceFile).length } };
}

/**
 * The per-platform packages of a native build (`@scope/tool-linux-x64-gnu`, `tool-darwin-arm64`):
 * a native binary, often near 100 MB, and no code the scan could read. The package that picks
 * one at run time is read instead.
 */
const PLATFORM_BINARY = /[-/](?:linux|darwin|macos|win32|windows|freebsd|openbsd|netbsd|sunos|android|aix|wasm32)-(?:x64|x86_64|arm64|aarch64|ia32|x86|arm|armv7|s390x|ppc64|ppc64le|riscv64|loong64|mips64el|universal|wasi)(?:-(?:gnu|musl|msvc|gnueabihf|musleabihf|eabi|baseline|modern))*$/;

/** Catalogued AI packages, plus uncatalogued ones that look like AI tooling by name or sit right above a catalogued package. */
export function packageCandidates(packages: LockedPackage[], catalog: CatalogIndex): PackageRef[] {
  const readable = packages.filter((pkg) => pkg.source === 'registry' && pkg.integrity && !PLATFORM_BINARY.test(pkg.name));
  const parents = new Set<string>();
  for (const pkg of readable) {
    if (!catalog.lookup(pkg.name)) continue;
    for (const path of pkg.paths) if (path.length >= 3) parents.add(path[path.length - 2] ?? '');
  }
  const catalogued = readable.filter((pkg) => catalog.lookup(pkg.name));
  const unknown = readable.filter((pkg) => !catalog.lookup(pkg.name) && (parents.has(pkg.name) || AI_NAME.test(pkg.name))).slice(0, MAX_UNKNOWN_CANDIDATES);
  return [...catalogued, ...unknown].map((pkg) => ({ name: pkg.name, version: pkg.version, integrity: pkg.integrity }));
}
