import { readManifest, type ManifestView } from './manifest.js';
import type { CodeSignal, PackageFiles, ReleaseDiff, ReleaseSeverity, RunsAt } from './model.js';
import { normaliseStatement } from './normalise.js';
import { scanFile } from './signals.js';

/** Tests, examples, docs and benchmarks ship in some tarballs but never run as the package. */
const NOT_RUN = /(?:^|\/)(?:examples?|tests?|__tests__|__mocks__|docs?|benchmarks?|fixtures?|spec)\/|\.(?:test|spec)\.[cm]?[jt]sx?$/;

export interface ReleasePair {
  name: string;
  version: string;
  previousVersion: string;
  current: PackageFiles;
  previous: PackageFiles;
}

interface Scanned {
  signals: CodeSignal[];
  manifest: ManifestView;
}

/**
 * What a release added against its predecessor. Only fingerprints the predecessor lacks count:
 * a package that always called `eval` is not flagged for calling it again, and a bundle rebuilt
 * with new local names or moved lines keeps its fingerprints.
 */
export function analyzeRelease(pair: ReleasePair): ReleaseDiff {
  const current = scanPackage(pair.current);
  const previous = scanPackage(pair.previous);
  const known = new Set(previous.signals.map((signal) => signal.key));
  const added: CodeSignal[] = [];
  const seen = new Set<string>();
  for (const signal of [...installScriptSignals(current.manifest, previous.manifest), ...current.signals]) {
    if (known.has(signal.key) || seen.has(signal.key)) continue;
    seen.add(signal.key);
    added.push(signal);
  }
  const { severity, reasons } = judge(added);
  return {
    name: pair.name,
    version: pair.version,
    previousVersion: pair.previousVersion,
    added,
    severity,
    reasons,
    truncated: pair.current.truncated || pair.previous.truncated,
  };
}

function scanPackage(contents: PackageFiles): Scanned {
  const manifest = readManifest(contents.files.get('package.json'), contents.files);
  const signals: CodeSignal[] = [];
  const paths = [...contents.files.keys()].filter((path) => path !== 'package.json').sort();
  for (const path of paths) {
    const runsAt: RunsAt = manifest.installFiles.has(path) ? 'install' : manifest.entryFiles.has(path) ? 'import' : 'bundled';
    if (runsAt === 'bundled' && NOT_RUN.test(path)) continue;
    signals.push(...scanFile(path, contents.files.get(path) ?? '', runsAt));
  }
  return { signals, manifest };
}

function installScriptSignals(current: ManifestView, previous: ManifestView): CodeSignal[] {
  return Object.entries(current.installScripts)
    .filter(([name, command]) => previous.installScripts[name] !== command && !buildsNativeAddon(command))
    .map(([name, command]) => ({
      kind: 'install-script' as const,
      key: `install-script:${name}:${normaliseStatement(command)}`,
      file: 'package.json',
      line: 1,
      excerpt: `"${name}": ${JSON.stringify(command).slice(0, 140)}`,
      runsAt: 'install' as const,
    }));
}

/** Builds a native addon: what most install scripts of popular packages do, and what they change between releases. */
const NATIVE_BUILD = /^(?:node-gyp(?:-build)?|prebuild-install|node-pre-gyp|cmake-js|prebuildify)(?:\s+[\w=.-]+)*$/;
/** Secret key material turned into text or handed to a sender: what a stealer does before it posts. */
const SERIALISED = /toString\(|JSON\.stringify|\bencode\w*\(|\bbtoa\(|\bfetch\(|\.send\(|\.post\(|\.write\(/;
const SECRET_SOURCES = new Set(['env-enumeration', 'credential-path', 'wallet', 'secret-key']);

/**
 * High: the new code is obfuscated, or reads secrets, the environment or a wallet in a file that
 * also gained a network destination or a network hook. Medium: new install-time code, a new
 * child process, new dynamic code, a new secret read or network hook on its own. A new endpoint
 * or a new request alone is what ordinary releases add, and is not reported.
 */
function buildsNativeAddon(command: string): boolean {
  return command.split(/\|\||&&/).every((part) => NATIVE_BUILD.test(part.trim().replace(/\s+/g, ' ')));
}

function judge(added: CodeSignal[]): { severity: ReleaseSeverity | null; reasons: string[] } {
  const high: string[] = [];
  const medium: string[] = [];
  const obfuscated = added.filter((signal) => signal.kind === 'obfuscation' || signal.key === 'dynamic-code:decoded');
  if (obfuscated.length > 0) high.push(`obfuscated code (${unique(obfuscated.map(describe)).join(', ')})`);
  const sent = added.filter((signal) => SECRET_SOURCES.has(signal.kind) && (signal.kind !== 'secret-key' || SERIALISED.test(signal.key)) && sendsFromSameFile(signal, added));
  if (sent.length > 0) high.push(`reads ${unique(sent.map(describe)).join(', ')} next to a new network destination or hook`);
  const fetched = added.filter((signal) => signal.kind === 'dynamic-code' && sendsFromSameFile(signal, added));
  if (fetched.length > 0) high.push('evaluates code built at run time next to a new network destination');
  const hooks = added.filter((signal) => signal.kind === 'network-hook');
  if (sent.length === 0 && hooks.length > 0) medium.push('replaces fetch or XMLHttpRequest');
  const reads = added.filter((signal) => SECRET_SOURCES.has(signal.kind) && signal.kind !== 'secret-key');
  if (sent.length === 0 && reads.length > 0) medium.push(`reads ${unique(reads.map(describe)).join(', ')}`);
  const scripts = added.filter((signal) => signal.kind === 'install-script');
  if (scripts.length > 0) medium.push(`new or changed install script (${scripts.map((signal) => signal.excerpt.split(':')[0]).join(', ')})`);
  const children = added.filter((signal) => signal.kind === 'child-process');
  if (children.length > 0) medium.push(`starts child processes (${unique(children.map(describe)).join(', ')})`);
  if (added.some((signal) => signal.key === 'dynamic-code')) medium.push('evaluates code built at run time (eval / Function)');
  if (high.length > 0) return { severity: 'high', reasons: [...high, ...medium] };
  if (medium.length > 0) return { severity: 'medium', reasons: medium };
  return { severity: null, reasons: [] };
}

function sendsFromSameFile(source: CodeSignal, added: CodeSignal[]): boolean {
  return added.some((signal) => signal.file === source.file && (signal.kind === 'endpoint' || signal.kind === 'network-hook'));
}

function describe(signal: CodeSignal): string {
  if (signal.kind === 'secret-key') return 'secret keys';
  return signal.key.replace(/^[\w-]+:/, '').replace(/^(env-enumeration|child-process)$/, (kind) => (kind === 'env-enumeration' ? 'the whole environment' : 'child_process'));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
