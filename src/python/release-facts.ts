import type { IndexChoice, IndexSetting } from './index-config.js';
import type { PythonPin } from './model.js';
import { sameVersion } from './names.js';
import type { BundleCheck, Pep740Result, TrustedPublisher } from './pep740.js';
import { verifyProvenanceObject } from './pep740.js';
import type { IndexClient, IndexFault, IndexFile, ProjectPage } from './simple-api.js';

export type PythonFactsStatus =
  /** The index lists the version. */
  | 'ok'
  /** The index lists the project but not this version (removed, never published there, a mirror gap). */
  | 'not-listed'
  /** No configured index has the project. */
  | 'project-not-found'
  /** No exact version to look up (a range), or `--no-index`. */
  | 'not-applicable'
  /** Offline and not cached. */
  | 'not-cached'
  | 'error';

export type PythonProvenanceStatus = 'verified' | 'missing' | 'invalid' | 'unknown';

export interface PythonProvenance {
  status: PythonProvenanceStatus;
  /** Why missing or unknown; the failed checks when invalid. */
  reasons: string[];
  publishers: TrustedPublisher[];
  /** Files whose provenance was checked. */
  files: string[];
}

/** A pin and what its index said (null when the index was not asked). */
export interface PythonSubject {
  pin: PythonPin;
  facts: PythonReleaseFacts | null;
}

/** What the index says about one pinned version. */
export interface PythonReleaseFacts {
  status: PythonFactsStatus;
  /** The index that answered (redacted URL) and where it was configured. */
  index: IndexSetting | null;
  error: string | null;
  /** Earliest PEP 700 upload time of the version's files; null when the index gives none. */
  uploadedAt: string | null;
  /** Set when every file of the version is yanked. */
  yanked: { reason: string | null } | null;
  files: IndexFile[];
  previousVersion: string | null;
  /** Up to five earlier releases (newest first) whose files carry PEP 740 provenance. */
  earlierWithProvenance: string[];
  provenance: PythonProvenance;
  /** Locked hashes the index does not serve for this version. */
  unknownHashes: string[];
  /** Other configured indexes that also serve the project (pip merges them: dependency confusion). */
  alsoOn: string[];
}

export interface GatherInput {
  pin: PythonPin;
  choice: IndexChoice;
  client: IndexClient;
  /** Sigstore verification of one bundle; null when provenance is not to be verified (then it is unknown). */
  verify: BundleCheck | null;
}

const EARLIER_RELEASES = 5;
const MAX_FILES_VERIFIED = 10;

/** Asks the configured indexes about the pinned version: upload time, yanks, predecessors and PEP 740 provenance. */
export async function gatherReleaseFacts(input: GatherInput): Promise<PythonReleaseFacts> {
  const { pin, choice, client } = input;
  const empty = blank();
  if (!pin.version) return { ...empty, status: 'not-applicable', error: 'not pinned to one version' };
  if (choice.noIndex) return { ...empty, status: 'not-applicable', error: '--no-index: installed from local files only' };
  let found: { page: ProjectPage; index: IndexSetting } | null = null;
  let projectOnly: { page: ProjectPage; index: IndexSetting } | null = null;
  const alsoOn: string[] = [];
  const faults: Array<{ fault: IndexFault; message: string }> = [];
  for (const index of choice.indexes) {
    const answer = await client.projectPage(index.url, pin.requirement.name);
    if (!answer.ok) {
      if (answer.fault !== 'not-found') faults.push({ fault: answer.fault, message: answer.message });
      continue;
    }
    const setting = { url: answer.value.url, origin: index.origin };
    const listed = listsVersion(answer.value, pin.version);
    if (found || (projectOnly && choice.strategy === 'first-match')) {
      alsoOn.push(answer.value.url);
      continue;
    }
    if (listed) found = { page: answer.value, index: setting };
    else if (choice.strategy === 'first-match') projectOnly = { page: answer.value, index: setting };
    else projectOnly ??= { page: answer.value, index: setting };
  }
  if (!found) {
    if (faults.length > 0) {
      const offline = faults.every((fault) => fault.fault === 'not-cached');
      return { ...empty, status: offline ? 'not-cached' : 'error', error: faults.map((fault) => fault.message).join('; ') };
    }
    if (projectOnly) return { ...empty, status: 'not-listed', index: projectOnly.index, error: `${projectOnly.index.url} does not list ${pin.requirement.name} ${pin.version}`, alsoOn };
    return { ...empty, status: 'project-not-found', error: `no configured index has ${pin.requirement.name} (${choice.indexes.map((index) => index.origin).join(', ')})` };
  }
  const { page, index } = found;
  const files = page.files.filter((file) => file.version !== null && sameVersion(file.version, pin.version ?? ''));
  const uploadTimes = files.flatMap((file) => (file.uploadTime ? [Date.parse(file.uploadTime)] : []));
  const uploadedAt = uploadTimes.length > 0 && uploadTimes.length === files.length ? new Date(Math.min(...uploadTimes)).toISOString() : null;
  const yanked = files.length > 0 && files.every((file) => file.yanked) ? { reason: files.map((file) => (file.yanked ? file.yanked.reason : null)).find((reason) => reason) ?? null } : null;
  const earlier = earlierReleases(page, pin.version, uploadedAt);
  const served = new Set(files.flatMap((file) => (file.sha256 ? [file.sha256] : [])));
  const unknownHashes = pin.hashes.filter((hash) => !served.has(hash));
  const facts: PythonReleaseFacts = {
    status: 'ok',
    index,
    error: null,
    uploadedAt,
    yanked,
    files,
    previousVersion: earlier[0]?.version ?? null,
    earlierWithProvenance: earlier.filter((release) => release.provenance).slice(0, EARLIER_RELEASES).map((release) => release.version),
    provenance: { status: 'unknown', reasons: [], publishers: [], files: [] },
    unknownHashes,
    alsoOn,
  };
  facts.provenance = await provenanceOf(pin, files, input, found.index.url);
  return facts;
}

function blank(): PythonReleaseFacts {
  return {
    status: 'error',
    index: null,
    error: null,
    uploadedAt: null,
    yanked: null,
    files: [],
    previousVersion: null,
    earlierWithProvenance: [],
    provenance: { status: 'unknown', reasons: ['the index facts were not obtained'], publishers: [], files: [] },
    unknownHashes: [],
    alsoOn: [],
  };
}

function listsVersion(page: ProjectPage, version: string): boolean {
  return page.files.some((file) => file.version !== null && sameVersion(file.version, version)) || (page.versions ?? []).some((listed) => sameVersion(listed, version));
}

/** Releases uploaded before this one, newest first, each with whether any of its files lists provenance. */
function earlierReleases(page: ProjectPage, version: string, uploadedAt: string | null): Array<{ version: string; at: number; provenance: boolean }> {
  const before = uploadedAt ? Date.parse(uploadedAt) : Number.POSITIVE_INFINITY;
  const releases = new Map<string, { version: string; at: number; provenance: boolean }>();
  for (const file of page.files) {
    if (!file.version || sameVersion(file.version, version) || !file.uploadTime || file.yanked) continue;
    const at = Date.parse(file.uploadTime);
    const release = releases.get(file.version) ?? { version: file.version, at, provenance: false };
    release.at = Math.min(release.at, at);
    release.provenance ||= file.provenanceUrl !== null;
    releases.set(file.version, release);
  }
  return [...releases.values()].filter((release) => release.at < before).sort((a, b) => b.at - a.at);
}

/**
 * The provenance of the files the pin installs (the lock's hashes or file names when it records
 * them, else every file of the version): verified only when every checked file's verifies.
 */
async function provenanceOf(pin: PythonPin, files: IndexFile[], input: GatherInput, indexUrl: string): Promise<PythonProvenance> {
  const locked = files.filter((file) => (file.sha256 !== null && pin.hashes.includes(file.sha256)) || pin.lockedFiles.includes(file.filename));
  const chosen = (locked.length > 0 ? locked : files).filter((file) => !file.yanked || files.every((item) => item.yanked)).slice(0, MAX_FILES_VERIFIED);
  if (chosen.length === 0) return { status: 'unknown', reasons: ['the index lists no files for this version'], publishers: [], files: [] };
  const withProvenance = chosen.filter((file) => file.provenanceUrl);
  if (withProvenance.length === 0) {
    return { status: 'missing', reasons: [`the index lists no PEP 740 provenance for ${chosen.map((file) => file.filename).join(', ')}`], publishers: [], files: chosen.map((file) => file.filename) };
  }
  const reasons: string[] = [];
  const publishers: TrustedPublisher[] = [];
  let invalid = false;
  let unknown = false;
  for (const file of chosen) {
    if (!file.provenanceUrl) {
      reasons.push(`${file.filename} has no provenance while other files of the release do`);
      invalid = true;
      continue;
    }
    if (!file.sha256) {
      reasons.push(`the index gives no sha256 for ${file.filename} to compare the attestation subject with`);
      unknown = true;
      continue;
    }
    if (!input.verify) {
      reasons.push('provenance verification is not enabled');
      unknown = true;
      continue;
    }
    const answer = await input.client.json(file.provenanceUrl, indexUrl);
    if (!answer.ok) {
      // the index lists provenance it does not serve: nothing to verify, but never a pass
      if (answer.fault === 'not-found') invalid = true;
      else unknown = true;
      reasons.push(`${file.filename}: the provenance could not be fetched (${answer.message})`);
      continue;
    }
    const result: Pep740Result = verifyProvenanceObject(answer.value, { filename: file.filename, sha256: file.sha256 }, input.verify);
    publishers.push(...result.publishers.filter((publisher) => !publishers.some((known) => sameJson(known, publisher))));
    if (result.status === 'invalid') invalid = true;
    if (result.status === 'unknown') unknown = true;
    reasons.push(...result.problems.map((problem) => `${file.filename}: ${problem}`));
  }
  const status: PythonProvenanceStatus = invalid ? 'invalid' : unknown ? 'unknown' : 'verified';
  return { status, reasons, publishers, files: chosen.map((file) => file.filename) };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
