import type { CatalogIndex } from '../ai/catalog.js';
import { listProjectFiles, readBounded } from '../util/project-files.js';
import type { ReportError } from '../model/report-error.js';
import { indexesForPin, type IndexChoice, type IndexEnvironment } from './index-config.js';
import type { PythonFileProblem, PythonPin } from './model.js';
import type { BundleCheck } from './pep740.js';
import { readPythonProject, type PythonProject } from './pins.js';
import { pythonFileKind } from './project-files.js';
import { redactUrl } from './redact.js';
import { gatherReleaseFacts, type PythonSubject } from './release-facts.js';
import { IndexClient, type IndexClientOptions } from './simple-api.js';
import { resolveImage, type ImageReference, type ImageResolution, type OciOptions } from './oci-image.js';
import type { AiTier } from '../model/tier.js';

export interface PythonStageInput {
  files: string[];
  readFile(file: string): Promise<string | null>;
  catalog: CatalogIndex;
  environment: IndexEnvironment;
  client: IndexClientOptions;
  /** Loads the Sigstore TrustedRoot (protobuf-specs JSON) when a pinned version is looked up; null leaves provenance unknown. */
  trustRoot: () => Promise<unknown>;
  /** false: pins only, no index requests (e.g. when the caller disables registry facts). */
  fetchFacts: boolean;
  /** Gateway images the project runs, resolved through their registry when facts are fetched and not offline. */
  images?: GatewayImage[];
  resolveImages?: boolean;
  oci?: OciOptions;
}

/** A catalogued gateway image referenced by a deployment file. */
export interface GatewayImage {
  image: ImageReference;
  tool: string;
  tier: AiTier;
  file: string;
  line: number | null;
}

export interface ImageSubject extends GatewayImage {
  resolution: ImageResolution;
}

export interface PythonStageResult {
  project: PythonProject;
  subjects: PythonSubject[];
  /** The indexes each pin was looked up on (redacted), by pin. */
  choices: Map<PythonPin, IndexChoice>;
  images: ImageSubject[];
  errors: ReportError[];
  notices: string[];
}

/** The Python stage: AI packages from the project's Python files, then what their index says about each pinned version. */
export async function runPythonStage(input: PythonStageInput): Promise<PythonStageResult> {
  const project = await readPythonProject({ files: input.files, readFile: input.readFile, catalog: input.catalog });
  const problems: PythonFileProblem[] = [...project.problems];
  const choices = new Map<PythonPin, IndexChoice>();
  const subjects: PythonSubject[] = [];
  if (!input.fetchFacts || project.pins.length === 0) {
    subjects.push(...project.pins.map((pin) => ({ pin, facts: null })));
    const images = await resolveImages(input);
    return { project, subjects, choices, images, errors: problemsAsErrors(problems), notices: imageNotices(images) };
  }
  const client = new IndexClient(input.client);
  const trustedRoot = project.pins.some((pin) => pin.version) ? await input.trustRoot() : null;
  const verify = trustedRoot ? await bundleCheck(trustedRoot) : null;
  const facts = await Promise.all(
    project.pins.map(async (pin) => {
      const choice = await indexesForPin(pin, project, input.environment, problems);
      choices.set(pin, choice);
      return gatherReleaseFacts({ pin, choice, client, verify });
    }),
  );
  project.pins.forEach((pin, index) => subjects.push({ pin, facts: facts[index] ?? null }));
  const notices: string[] = [];
  const indexes = new Set([...choices.values()].flatMap((choice) => choice.indexes.map((index) => `${redactUrl(index.url)} (${index.origin})`)));
  if (indexes.size > 0) notices.push(`Python indexes asked: ${[...indexes].join(', ')}.`);
  for (const { pin, facts: found } of subjects) {
    if (found && found.alsoOn.length > 0) notices.push(`${pin.requirement.name} is served by more than one configured index (${[found.index?.url ?? '', ...found.alsoOn].join(', ')}): pip takes the highest version from any of them.`);
  }
  const images = await resolveImages(input);
  notices.push(...imageNotices(images));
  return { project, subjects, choices, images, errors: problemsAsErrors(problems), notices };
}

/** Tag-referenced images are resolved (a digest is already immutable); offline or without facts they are skipped, and said so. */
async function resolveImages(input: PythonStageInput): Promise<ImageSubject[]> {
  const wanted = (input.images ?? []).filter((item) => !item.image.digest);
  const seen = new Map<string, Promise<ImageResolution>>();
  return Promise.all(
    wanted.map(async (item) => {
      const key = `${item.image.repository}:${item.image.tag ?? 'latest'}`;
      const reason = input.client.offline ? 'offline' : !input.fetchFacts ? 'registry facts not gathered' : 'image lookup not enabled (--resolve-images)';
      const skipped: ImageResolution = { status: 'skipped', registry: item.image.repository.split('/')[0] ?? '', message: reason };
      if (!input.fetchFacts || input.client.offline || !input.resolveImages) return { ...item, resolution: skipped };
      if (!seen.has(key)) seen.set(key, resolveImage(item.image, input.oci));
      return { ...item, resolution: await (seen.get(key) as Promise<ImageResolution>) };
    }),
  );
}

function imageNotices(images: ImageSubject[]): string[] {
  const notices: string[] = [];
  for (const item of images) {
    const where = `${item.file}${item.line ? `:${item.line}` : ''}`;
    const { resolution } = item;
    if (resolution.status === 'resolved') notices.push(`${item.image.raw} (${where}) resolves to ${resolution.digest}${resolution.created ? `, built ${resolution.created}` : ''}.`);
    else notices.push(`${item.image.raw} (${where}) could not be resolved to a digest and age (${resolution.status}: ${resolution.message}): its age is unchecked.`);
  }
  return notices;
}

/** Sigstore's verifier is loaded only when a Python pin is looked up. */
async function bundleCheck(trustedRoot: unknown): Promise<BundleCheck> {
  const { BundleVerifier } = await import('../provenance/bundle-verify.js');
  const verifier = new BundleVerifier(trustedRoot, []);
  return (bundle) => verifier.verify(bundle);
}

function problemsAsErrors(problems: PythonFileProblem[]): ReportError[] {
  const seen = new Set<string>();
  return problems.flatMap((problem): ReportError[] => {
    if (seen.has(problem.message)) return [];
    seen.add(problem.message);
    return [{ scope: `python:${problem.file}`, message: problem.message }];
  });
}

const MAX_PYTHON_FILE_BYTES = 8_000_000;

export interface ProjectFileAccess {
  files: string[];
  truncated: boolean;
  readFile(file: string): Promise<string | null>;
  /** Python files that exist but were not read (too large, unreadable): filled as files are read. */
  problems: PythonFileProblem[];
}

/** The project's files as the AI stage lists them (vendored, installed and test folders skipped); a Python file too large to read is a problem, not a skip. */
export async function projectFileAccess(root: string): Promise<ProjectFileAccess> {
  const listed = await listProjectFiles(root);
  const problems: PythonFileProblem[] = [];
  return {
    files: listed.files,
    truncated: listed.truncated,
    problems,
    readFile: async (file) => {
      const text = await readBounded(root, file, MAX_PYTHON_FILE_BYTES);
      if (text === null && pythonFileKind(file) !== null && pythonFileKind(file) !== 'yaml' && listed.files.includes(file)) {
        problems.push({ file, line: null, message: `${file} was not read (larger than ${MAX_PYTHON_FILE_BYTES} bytes, or not a regular file): its Python requirements are not audited` });
      }
      return text;
    },
  };
}
