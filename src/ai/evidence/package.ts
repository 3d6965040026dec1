import { inflateWhole, isGzip } from '../../util/inflate.js';
import { readTarFiles } from '../../util/tar.js';
import type { CatalogIndex } from '../catalog.js';
import { hostOfUrl } from '../hosts.js';
import { ReadLimitError, readFailureKind } from '../read-failure.js';
import type { Fact, Signal } from './types.js';
import { lineAt } from '../../util/project-files.js';

/**
 * Reads a package tarball (the registry client's job); must reject rather than return something
 * unverified, and should reject a tarball larger than `maxBytes` before downloading it.
 */
export type FetchTarball = (name: string, version: string, integrity: string | null, maxBytes: number) => Promise<Buffer>;

export interface PackageRef {
  name: string;
  version: string;
  integrity: string | null;
}

export interface PackageScanLimits {
  maxTarballBytes: number;
  maxUnpackedBytes: number;
  maxFileBytes: number;
  maxMatchesPerKind: number;
  concurrency: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageScanLimits = {
  maxTarballBytes: 30 * 1024 * 1024,
  maxUnpackedBytes: 120 * 1024 * 1024,
  maxFileBytes: 6 * 1024 * 1024,
  maxMatchesPerKind: 12,
  concurrency: 8,
};

/** What one package's published code shows. Every list is bounded by `maxMatchesPerKind`. */
export interface PackageEvidence {
  name: string;
  version: string;
  hosts: Located<string>[];
  envReads: Located<string>[];
  patches: Located<string>[];
  /** Provider SDKs (or other catalogued packages) the code imports. */
  imports: Located<string>[];
  installScripts: Record<string, string>;
  /** Starts an HTTP server (a gateway server, a local proxy). */
  servesHttp: Located<string>[];
  /** Holds LLM API paths (`/chat/completions`, `/v1/messages`): it builds LLM requests itself. */
  llmPaths: Located<string>[];
  /** Functions it defines to wrap a client (`observeOpenAI`, `wrapOpenAI`, `monitor…`). */
  wrappers: Located<string>[];
  filesScanned: number;
  truncated: boolean;
}

export interface Located<T> {
  value: T;
  file: string;
  line: number;
}

/** What the scan of one tarball gave: its evidence, or the reason it could not be read (a reason that cannot change). */
export type CachedScan = { evidence: PackageEvidence } | { error: string };

/** Earlier scans by tarball integrity (package-cache.ts). */
export interface ScanCache {
  get(name: string, version: string, integrity: string | null): CachedScan | null;
  store(name: string, version: string, integrity: string | null, scan: CachedScan): void;
}

export interface PackageScanResult {
  evidence: PackageEvidence[];
  /** `failure` says when the failure is itself a finding-grade fact (integrity mismatch, size limit). */
  errors: Array<{ name: string; version: string; message: string; failure: 'integrity' | 'limit' | null }>;
}

/** Examples, tests and docs ship in some tarballs but never run as the package. */
const NOT_SHIPPED_CODE = /(^|\/)(examples?|tests?|__tests__|docs?|benchmarks?|scripts)\/|\.(test|spec)\.[cm]?[jt]s$/;
const CODE_FILE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/;
const ENV_READ = /process\.env(?:\.([A-Z][A-Z0-9_]{2,})|\[\s*["'`]([A-Z][A-Z0-9_]{2,})["'`]\s*\])|\b(?:readEnv|getEnv|getEnvVar|getEnvironmentVariable|getEnvironmentValue|env\.get)\(\s*["'`]([A-Z][A-Z0-9_]{2,})["'`]/g;
const URL_LITERAL = /["'`](https?:\/\/[^"'`\s]{3,200})/g;
const API_HOST = /(^|[.-])(api|gateway|ingest|ingestion|collector|events|telemetry|otlp|proxy|llm|cloud|app|us|eu)[.-]|\.ai$/;
const DOCS_HOST = /^(docs?|www|blog|help|support|status|platform|console|dashboard)\.|github|gitlab|npm|w3\.org|json-schema|schema\.org|example\.(com|org)|mozilla|nodejs\.org|opentelemetry\.io|semver|spdx|ietf|whatwg|unpkg|jsdelivr|readthedocs|stackoverflow|tc39|microsoft\.com\/(?:typescript)/;
const PATCHES: Array<[RegExp, string]> = [
  [/\b(?:globalThis|global|window|self)\.fetch\s*=(?!=)/, 'replaces globalThis.fetch'],
  [/\b(?:https?|http2)\.(?:request|get)\s*=(?!=)/, 'replaces http.request'],
  [/\b(?:this|self)\._wrap\(|\bshimmer\.(?:wrap|massWrap)\(/, 'wraps module functions (shimmer)'],
  [/\bInstrumentationNodeModuleDefinition\b/, 'registers an OpenTelemetry module hook'],
  [/["'`](?:require-in-the-middle|import-in-the-middle)["'`]/, 'hooks module loading'],
  [/Module\.prototype\.require\s*=(?!=)|Module\._load\s*=(?!=)/, 'replaces require'],
  [/["'`]undici:request:create["'`]/, 'subscribes to undici request events'],
  [/\bregisterInstrumentations\(/, 'registers OpenTelemetry instrumentations'],
  [/\bnew Proxy\(\s*\w+\s*,/, 'wraps objects in a Proxy'],
];
const SERVER = /\bcreateServer\(|\.listen\(\s*(?:port|PORT|\d{2,5}|process\.env)|\bserve\(\s*\{\s*fetch/;
const LLM_PATH = /["'`](?:[^"'`\s]*\/)?(chat\/completions|v1\/messages|v1\/completions|v1\/embeddings|v1beta\/models)["'`/]/;
const WRAPPER_EXPORT = /\b(?:function\s*\*?\s*|(?:const|let|var)\s+|exports\.)((?:observe|wrap|monitor|withTracing|traceable|instrument)[A-Z]\w*)/g;
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/**
 * Scans each package's published tarball, in memory and never executed; failures are reported,
 * not skipped. With a cache, a tarball already scanned (by integrity) is not read again.
 */
export async function scanPackages(
  packages: PackageRef[],
  fetchTarball: FetchTarball,
  catalog: CatalogIndex,
  limits: PackageScanLimits = DEFAULT_PACKAGE_LIMITS,
  cache?: ScanCache,
): Promise<PackageScanResult> {
  const evidence: PackageEvidence[] = [];
  const errors: PackageScanResult['errors'] = [];
  const queue = [...packages];
  const worker = async (): Promise<void> => {
    for (let pkg = queue.shift(); pkg; pkg = queue.shift()) {
      const known = cache?.get(pkg.name, pkg.version, pkg.integrity);
      if (known) {
        if ('evidence' in known) evidence.push(known.evidence);
        // only limit failures are kept: still an error of the run, as on the run that found it
        else errors.push({ name: pkg.name, version: pkg.version, message: known.error, failure: 'limit' });
        continue;
      }
      try {
        const data = await fetchTarball(pkg.name, pkg.version, pkg.integrity, limits.maxTarballBytes);
        const found = scanTarball(pkg.name, pkg.version, data, catalog, limits);
        evidence.push(found);
        cache?.store(pkg.name, pkg.version, pkg.integrity, { evidence: found });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const failure = readFailureKind(error);
        errors.push({ name: pkg.name, version: pkg.version, message, failure });
        // a tarball past the read limits stays past them: that answer is kept for its integrity, never a network failure
        if (failure === 'limit') cache?.store(pkg.name, pkg.version, pkg.integrity, { error: message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limits.concurrency) }, worker));
  // in package order, not in the order the downloads happened to finish: reports and notices are reproducible
  const byPackage = (a: { name: string; version: string }, b: { name: string; version: string }) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
  evidence.sort(byPackage);
  errors.sort(byPackage);
  return { evidence, errors };
}

export function scanTarball(name: string, version: string, data: Buffer, catalog: CatalogIndex, limits: PackageScanLimits = DEFAULT_PACKAGE_LIMITS): PackageEvidence {
  if (data.length > limits.maxTarballBytes) throw new ReadLimitError(`tarball is ${data.length} bytes, over the ${limits.maxTarballBytes}-byte limit`);
  const tar = isGzip(data) ? gunzipBounded(data, limits.maxUnpackedBytes) : data;
  const evidence: PackageEvidence = {
    name, version, hosts: [], envReads: [], patches: [], imports: [], installScripts: {}, servesHttp: [], llmPaths: [], wrappers: [], filesScanned: 0, truncated: false,
  };
  const files = readTarFiles(tar, (path, size) => {
    const wanted = path === 'package.json' || (CODE_FILE.test(path) && !/\.d\.[cm]?ts$/.test(path) && !NOT_SHIPPED_CODE.test(path));
    if (wanted && size > limits.maxFileBytes) evidence.truncated = true;
    return wanted && size <= limits.maxFileBytes;
  });
  files.sort((a, b) => a.path.localeCompare(b.path));
  for (const file of files) {
    if (file.path === 'package.json') readManifest(file.text, evidence);
    else scanCode(file.path, file.text, evidence, catalog, limits.maxMatchesPerKind);
  }
  return evidence;
}

function gunzipBounded(data: Buffer, maxBytes: number): Buffer {
  try {
    return inflateWhole(data, 'gzip', maxBytes);
  } catch (error) {
    if (readFailureKind(error) === 'limit') throw new ReadLimitError(`tarball unpacks to more than ${maxBytes} bytes`);
    throw error;
  }
}

function readManifest(text: string, evidence: PackageEvidence): void {
  try {
    const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
    for (const key of INSTALL_SCRIPTS) if (typeof scripts[key] === 'string') evidence.installScripts[key] = scripts[key] as string;
  } catch {
    evidence.truncated = true;
  }
}

function scanCode(path: string, text: string, evidence: PackageEvidence, catalog: CatalogIndex, max: number): void {
  evidence.filesScanned++;
  const push = (list: Located<string>[], value: string, offset: number) => {
    if (list.length < max && !list.some((item) => item.value === value)) list.push({ value, file: path, line: lineAt(text, offset) });
  };
  for (const match of text.matchAll(ENV_READ)) push(evidence.envReads, match[1] ?? match[2] ?? match[3] ?? '', match.index);
  for (const match of text.matchAll(URL_LITERAL)) {
    const host = hostOfUrl(match[1] ?? '');
    if (host && (catalog.toolByHost(host) || (API_HOST.test(host) && !DOCS_HOST.test(host)))) push(evidence.hosts, host, match.index);
  }
  for (const [pattern, label] of PATCHES) {
    const match = pattern.exec(text);
    if (match) push(evidence.patches, label, match.index);
  }
  for (const match of text.matchAll(/(?:require\(\s*|from\s*|import\(\s*)["'`]((?:@[\w.-]+\/)?[\w.-]+)/g)) {
    const imported = match[1] ?? '';
    if (catalog.lookup(imported) && imported !== evidence.name) push(evidence.imports, imported, match.index);
  }
  const server = SERVER.exec(text);
  if (server) push(evidence.servesHttp, 'starts an HTTP server', server.index);
  for (const match of text.matchAll(WRAPPER_EXPORT)) push(evidence.wrappers, match[1] ?? '', match.index);
  const llm = LLM_PATH.exec(text);
  if (llm) push(evidence.llmPaths, llm[1] ?? '', llm.index);
}

/** The evidence as signals for the report, each pointing at `name@version/file:line`. */
export function packageSignals(evidence: PackageEvidence): Signal[] {
  const where = (item: Located<string>) => ({ file: `${evidence.name}@${evidence.version}/${item.file}`, line: item.line });
  const pkg = evidence.name;
  const signals: Signal[] = [];
  const add = (fact: Fact, detail: string, item?: Located<string>) => signals.push({ kind: 'package', fact, detail, ...(item ? where(item) : {}) });
  for (const item of evidence.hosts) add({ type: 'pkg-host', pkg, host: item.value }, `published code names host ${item.value}`, item);
  for (const item of evidence.envReads) add({ type: 'pkg-env', pkg, name: item.value }, `published code reads ${item.value}`, item);
  for (const item of evidence.patches) add({ type: 'pkg-patch', pkg, pattern: item.value }, `published code ${item.value}`, item);
  for (const item of evidence.imports) add({ type: 'pkg-imports', pkg, imported: item.value }, `published code imports ${item.value}`, item);
  for (const [script, command] of Object.entries(evidence.installScripts)) {
    add({ type: 'pkg-install-script', pkg, script }, `runs a ${script} script: ${command.slice(0, 80)}`);
  }
  return signals;
}

/** Signs that a package not in the catalog is an AI tool: it patches globals or hooks modules, or it reads provider keys next to a third-party host. */
export function looksLikeAiTool(evidence: PackageEvidence, catalog: CatalogIndex): boolean {
  const aiImports = evidence.imports.length > 0;
  const aiHosts = evidence.hosts.some((item) => catalog.toolByHost(item.value));
  const keyReads = evidence.envReads.some((item) => isProviderKeyVar(item.value, catalog));
  const patches = evidence.patches.some((item) => item.value !== 'wraps objects in a Proxy');
  return (patches && (aiImports || aiHosts || keyReads)) || (keyReads && (aiHosts || evidence.llmPaths.length > 0)) || (aiImports && evidence.llmPaths.length > 0 && evidence.servesHttp.length > 0);
}

/** An API key variable of a provider SDK in the catalog (`OPENAI_API_KEY`), or shaped like one. */
export function isProviderKeyVar(name: string, catalog: CatalogIndex): boolean {
  if (catalog.toolsByEnvVar(name).some((tool) => tool.role === 'provider-sdk') && /KEY|TOKEN/.test(name)) return true;
  return /^(OPENAI|ANTHROPIC|GEMINI|GOOGLE_GENERATIVE_AI|MISTRAL|COHERE|GROQ|AZURE_OPENAI|DEEPSEEK|XAI|TOGETHER|FIREWORKS)_API_KEY$/.test(name);
}
