import parseVersion from 'semver/functions/parse.js';
import type { SemVer } from 'semver';
import type { AttestationsRef, RegistrySignature, VersionFacts } from './model.js';
import { isRecord } from '../../util/is-record.js';
import type { DocumentView } from './document-view.js';
import { redactUrl, redactUrlsIn } from '../../util/redact-url.js';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;
const EARLIER_KEPT = 5;

export type Manifest = Record<string, unknown>;

/** Facts of one version from a packument; `full` says whether it is the full document. */
export function versionFacts(doc: DocumentView, version: string, full: boolean): VersionFacts | null {
  const manifest = doc.manifest(version);
  if (!manifest) return null;
  const dist = isRecord(manifest.dist) ? manifest.dist : {};
  const shasum = text(dist.shasum);
  return {
    version,
    publishedAt: publishTime(doc, version),
    integrity: text(dist.integrity) ?? (shasum ? sha1Integrity(shasum) : null),
    tarball: redactedText(dist.tarball),
    // npm un-deprecates by setting an empty string
    deprecated: redactUrlsIn(text(manifest.deprecated) ?? '') || null,
    installScripts: installScripts(manifest, full),
    publisher: full && isRecord(manifest._npmUser) ? text(manifest._npmUser.name) : null,
    repository: full ? repositoryUrl(manifest.repository) : null,
    signatures: signatures(dist.signatures),
    attestations: attestations(dist.attestations),
    shasum,
  };
}

export function publishTime(doc: DocumentView, version: string): string | null {
  const times = doc.field('time');
  const time = isRecord(times) && Object.hasOwn(times, version) ? text(times[version]) : null;
  return time && !Number.isNaN(Date.parse(time)) ? new Date(time).toISOString() : null;
}

/**
 * The versions ordered below `version` by semver, newest first: a prerelease's predecessors may
 * be prereleases, a release's are releases only (a stable line is not compared to its betas).
 * Each is parsed once (a document may list thousands).
 */
export function earlierOf(versions: string[], version: string, limit = EARLIER_KEPT): string[] {
  const target = parseVersion(version);
  if (!target) return [];
  if (target.prerelease.length > 0) return earlierPrereleaseAware(versions, target, limit);
  // releases before a release: semver orders them by major, minor and patch alone (build
  // metadata does not count), so a plain `x.y.z` is compared without building a SemVer
  const below: Array<{ text: string; major: number; minor: number; patch: number }> = [];
  for (const text of versions) {
    // cheap rejections first (typescript lists 3,500 versions, most of them nightlies): a
    // prerelease, a higher major; anything unusual is left to semver
    if (isPrereleaseText(text)) continue;
    const plain = PLAIN_RELEASE.exec(text);
    let major: number, minor: number, patch: number;
    if (plain) {
      [major, minor, patch] = [Number(plain[1]), Number(plain[2]), Number(plain[3])];
    } else {
      const leading = MAJOR.exec(text);
      if (leading && Number(leading[1]) > target.major) continue;
      const parsed = parseVersion(text);
      if (!parsed || parsed.prerelease.length > 0) continue;
      ({ major, minor, patch } = parsed);
    }
    if (major < target.major || (major === target.major && (minor < target.minor || (minor === target.minor && patch < target.patch)))) below.push({ text, major, minor, patch });
  }
  return below
    .sort((a, b) => b.major - a.major || b.minor - a.minor || b.patch - a.patch)
    .slice(0, limit)
    .map((entry) => entry.text);
}

/** Before a prerelease, prereleases count too: semver orders them. */
function earlierPrereleaseAware(versions: string[], target: SemVer, limit: number): string[] {
  const below: Array<{ text: string; parsed: SemVer }> = [];
  for (const text of versions) {
    const major = MAJOR.exec(text);
    if (major && Number(major[1]) > target.major) continue;
    const parsed = parseVersion(text);
    if (parsed && parsed.compare(target) < 0) below.push({ text, parsed });
  }
  return below
    .sort((a, b) => b.parsed.compare(a.parsed))
    .slice(0, limit)
    .map((entry) => entry.text);
}

/**
 * The full document's `scripts` are authoritative. The abbreviated one normally carries only the
 * `hasInstallScript` flag (which scripts is then unknown), but some mirrors serve `scripts`
 * instead: read them too, so neither way hides an install script.
 */
function installScripts(manifest: Manifest, full: boolean): Record<string, string> | null {
  const declared = isRecord(manifest.scripts) ? manifest.scripts : null;
  if (!full && !declared) return manifest.hasInstallScript === true ? null : {};
  const found: Record<string, string> = {};
  for (const name of INSTALL_SCRIPTS) {
    const command = text(declared?.[name]);
    if (command) found[name] = command;
  }
  // a binding.gyp makes npm run `node-gyp rebuild` without any declared script
  if (Object.keys(found).length === 0 && (manifest.hasInstallScript === true || manifest.gypfile === true)) found.install = 'node-gyp rebuild';
  return found;
}

function signatures(value: unknown): RegistrySignature[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => (isRecord(entry) && text(entry.keyid) && text(entry.sig) ? [{ keyid: String(entry.keyid), sig: String(entry.sig) }] : []));
}

function attestations(value: unknown): AttestationsRef | null {
  if (!isRecord(value) || !text(value.url)) return null;
  const provenance = isRecord(value.provenance) && text(value.provenance.predicateType) ? { predicateType: String(value.provenance.predicateType) } : undefined;
  return { url: redactUrl(String(value.url)), ...(provenance ? { provenance } : {}) };
}

function repositoryUrl(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return isRecord(value) ? text(value.url) : null;
}

function sha1Integrity(shasumHex: string): string | null {
  return /^[0-9a-f]{40}$/i.test(shasumHex) ? `sha1-${Buffer.from(shasumHex, 'hex').toString('base64')}` : null;
}

const MAJOR = /^v?(\d+)\./;
/** What semver itself reads as exactly that release; numbers short enough to stay exact (longer ones go to semver). */
const PLAIN_RELEASE = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;

/** A `-` before any `+`: a prerelease, or no version at all. */
function isPrereleaseText(version: string): boolean {
  const dash = version.indexOf('-');
  if (dash < 0) return false;
  const plus = version.indexOf('+');
  return plus < 0 || dash < plus;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A URL the registry published, kept without credentials (it is reported and cached). */
function redactedText(value: unknown): string | null {
  const url = text(value);
  return url === null ? null : redactUrl(url);
}
