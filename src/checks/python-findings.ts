import { compromisedRelease } from '../ai/compromised.js';
import type { Finding } from '../model/finding.js';
import type { ReportError } from '../model/report-error.js';
import type { RuleId } from '../model/rule-id.js';
import { isStrictTier, tierLabel } from '../model/tier.js';
import { formatDuration } from '../policy/duration.js';
import type { Policy } from '../policy/policy.js';
import { releaseWindow } from '../policy/release-window.js';
import type { PythonPin } from '../python/model.js';
import type { PythonSubject } from '../python/release-facts.js';
import type { ImageSubject } from '../python/stage.js';
import { severityForTier } from './severity-for-tier.js';
import type { CheckContext } from './types.js';

export interface PythonCheckInput {
  subjects: PythonSubject[];
  /** Gateway images resolved through their registry. */
  images?: ImageSubject[];
  policy: Policy;
  now: Date;
}

type PythonCheck = (subject: PythonSubject, input: PythonCheckInput) => Finding[];

/**
 * The npm side's rules applied to the Python AI packages the Python stage looked up on their index:
 * each rule's check (src/checks/<rule>.ts) adds `pythonFindings(<rule>, …)` to its own findings.
 */
export function pythonFindings(ruleId: RuleId, input: PythonCheckInput | null): Finding[] {
  const checks = input ? PYTHON_CHECKS[ruleId] : undefined;
  if (!input || !checks) return [];
  const images = ruleId === 'recent-release' ? (input.images ?? []).flatMap((image) => recentImage(image, input)) : [];
  return [...input.subjects.flatMap((subject) => checks.flatMap((check) => check(subject, input))), ...images];
}

/** The Python part of a check's run: nothing when the Python stage did not run. */
export function pythonFindingsOf(ruleId: RuleId, context: CheckContext): Finding[] {
  return context.python ? pythonFindings(ruleId, { subjects: context.python.subjects, images: context.python.images ?? [], policy: context.policy, now: context.now }) : [];
}

/** Every Python finding, rule by rule (tests, and callers without the checks list). */
export function allPythonFindings(input: PythonCheckInput): Finding[] {
  return (Object.keys(PYTHON_CHECKS) as RuleId[]).flatMap((ruleId) => pythonFindings(ruleId, input));
}

/** What could not be determined, so a run without index facts never reads as a pass. */
export function pythonErrors(subjects: PythonSubject[]): ReportError[] {
  return subjects.flatMap(({ pin, facts }): ReportError[] => {
    if (!facts || (facts.status !== 'error' && facts.status !== 'not-cached')) return [];
    return [{ scope: `pypi:${pin.requirement.normalized}@${pin.version ?? ''}`, package: { name: pin.requirement.name, version: pin.version }, message: `${pin.requirement.name} ${pin.version} (${where(pin)}): the index facts could not be obtained: ${facts.error ?? facts.status}.` }];
  });
}

function base(pin: PythonPin, extra: Record<string, unknown> = {}): Pick<Finding, 'package' | 'location' | 'paths' | 'aiTier' | 'evidence'> {
  return {
    package: { name: pin.requirement.name, version: pin.version ?? (pin.range || null) },
    location: { file: pin.requirement.file, line: pin.requirement.line },
    paths: [],
    aiTier: pin.tier,
    evidence: {
      ecosystem: 'pypi',
      tool: pin.tool,
      role: pin.role,
      pinning: pin.pinning,
      ...(pin.pinnedBy ? { pinnedBy: pin.pinnedBy } : {}),
      ...extra,
    },
  };
}

function where(pin: PythonPin): string {
  return `${pin.requirement.file}:${pin.requirement.line}`;
}

function label(pin: PythonPin): string {
  return `${tierLabel(pin.tier)} ${pin.requirement.name}`;
}

const unpinned: PythonCheck = ({ pin }) => {
  if (pin.pinning !== 'range') return [];
  const range = pin.range ? pin.range : 'any version';
  return [
    {
      ruleId: 'ai-gateway-image-unpinned',
      severity: isStrictTier(pin.tier) ? 'high' : 'low',
      ...base(pin, { range: pin.range }),
      message: `${label(pin)} is required as ${range} at ${where(pin)} and no lockfile locks it: an install in a bad window gets whatever was just published.`,
      remediation: `Pin it exactly (${pin.requirement.name}==<reviewed version>) with --hash, or lock it (uv.lock, poetry.lock, pdm.lock, Pipfile.lock) and install from the lock.`,
    },
  ];
};

const compromised: PythonCheck = ({ pin }) => {
  const note = pin.version ? compromisedRelease('pypi', pin.requirement.normalized, pin.version) : null;
  if (!note) return [];
  return [
    {
      ruleId: 'ai-gateway-image-unpinned',
      severity: 'critical',
      ...base(pin, { compromised: note }),
      message: `${pin.requirement.name} ${pin.version} at ${where(pin)} is a ${note}.`,
      remediation: 'Remove this version now, rotate every key and credential the host could read, and pin a reviewed release.',
    },
  ];
};

const notListed: PythonCheck = ({ pin, facts }) => {
  if (!facts || (facts.status !== 'not-listed' && facts.status !== 'project-not-found')) return [];
  const project = facts.status === 'project-not-found';
  return [
    {
      ruleId: 'version-not-listed',
      severity: severityForTier(pin.tier, { strict: 'high', ai: 'high', other: 'medium' }),
      ...base(pin, { index: facts.index?.url ?? null, indexOrigin: facts.index?.origin ?? null, projectListed: !project }),
      message: project
        ? `${label(pin)} ${pin.version} (${where(pin)}): ${facts.error ?? 'no configured index has the project'}.`
        : `${label(pin)} ${pin.version} (${where(pin)}) is not listed by ${facts.index?.url ?? 'the index'} (${facts.index?.origin ?? 'configured index'}): a removed release (malicious Python releases are deleted, not marked), one from another index, or a mirror gap.`,
      remediation: `Find out where ${pin.requirement.name} ${pin.version} came from before installing it again; move to a version the index lists.`,
    },
  ];
};

const yanked: PythonCheck = ({ pin, facts }) => {
  if (facts?.status !== 'ok' || !facts.yanked) return [];
  const reason = facts.yanked.reason;
  return [
    {
      ruleId: 'version-yanked',
      severity: 'high',
      ...base(pin, { yankReason: reason, index: facts.index?.url ?? null }),
      message: `${label(pin)} ${pin.version} (${where(pin)}) is yanked by ${facts.index?.url ?? 'the index'}${reason ? `: "${reason}"` : ' (no reason given)'}.`,
      remediation: `Move ${pin.requirement.name} to a release that is not yanked${facts.previousVersion ? ` (e.g. ${facts.previousVersion})` : ''} and check the machines that installed ${pin.version}.`,
    },
  ];
};

const recentRelease: PythonCheck = ({ pin, facts }, { policy, now }) => {
  if (facts?.status !== 'ok') return [];
  const window = releaseWindow(pin.requirement.normalized, pin.tier, policy, null);
  const windowText = `release-age window ${formatDuration(window.ms)}${window.source === 'tier' && isStrictTier(pin.tier) ? ' for AI gateways and AI cost tools' : ''}`;
  if (!facts.uploadedAt) {
    return [
      {
        ruleId: 'recent-release',
        severity: severityForTier(pin.tier, { strict: 'high', ai: 'medium', other: 'medium' }),
        ...base(pin, { uploadedAt: null, windowMs: window.ms, index: facts.index?.url ?? null }),
        message: `${label(pin)} ${pin.version} (${where(pin)}): ${facts.index?.url ?? 'the index'} gives no upload time (PEP 700) for its files, so whether it is younger than its ${windowText} could not be checked.`,
        remediation: `Look up when ${pin.requirement.name} ${pin.version} was uploaded before trusting it${facts.previousVersion ? `, or pin ${facts.previousVersion}` : ''}.`,
      },
    ];
  }
  const uploaded = Date.parse(facts.uploadedAt);
  const age = now.getTime() - uploaded;
  if (age >= window.ms) return [];
  const waitUntil = new Date(uploaded + window.ms).toISOString();
  const when = age < 0 ? `${formatDuration(-age)} after the evaluation time` : `${formatDuration(age)} ago`;
  return [
    {
      ruleId: 'recent-release',
      severity: 'high',
      ...base(pin, { uploadedAt: facts.uploadedAt, ageMs: age, windowMs: window.ms, windowSource: window.source, waitUntil, previousVersion: facts.previousVersion, index: facts.index?.url ?? null }),
      message: `${label(pin)} ${pin.version} (${where(pin)}) was uploaded ${when}, on ${facts.uploadedAt}; wait until ${waitUntil}${facts.previousVersion ? ` or pin the previous release ${facts.previousVersion}` : ''} (${windowText}).`,
      remediation: facts.previousVersion
        ? `Pin ${pin.requirement.name}==${facts.previousVersion} (or another release older than the window) and reinstall, or wait until ${waitUntil} and re-run the audit.`
        : `Wait until ${waitUntil} and re-run the audit before installing this version anywhere that holds secrets.`,
    },
  ];
};

const integrityMismatch: PythonCheck = ({ pin, facts }) => {
  if (facts?.status !== 'ok' || facts.unknownHashes.length === 0 || facts.files.length === 0) return [];
  return [
    {
      ruleId: 'lockfile-integrity-mismatch',
      severity: 'critical',
      ...base(pin, { unknownHashes: facts.unknownHashes, servedHashes: facts.files.flatMap((file) => (file.sha256 ? [file.sha256] : [])) }),
      message: `${pin.pinnedBy ? `${pin.pinnedBy.file}:${pin.pinnedBy.line}` : where(pin)} allows ${pin.requirement.name} ${pin.version} files with ${facts.unknownHashes.length === 1 ? 'a hash' : `${facts.unknownHashes.length} hashes`} that ${facts.index?.url ?? 'the index'} does not serve for that version.`,
      remediation: 'Do not install; find out whether the lock was edited or the index replaced the files before regenerating the lock.',
    },
  ];
};

const provenanceInvalid: PythonCheck = ({ pin, facts }) => {
  if (facts?.status !== 'ok' || facts.provenance.status !== 'invalid') return [];
  return [
    {
      ruleId: 'provenance-invalid',
      severity: 'critical',
      ...base(pin, { problems: facts.provenance.reasons, files: facts.provenance.files, publishers: facts.provenance.publishers }),
      message: `The PEP 740 provenance of ${pin.requirement.name} ${pin.version} (${where(pin)}) does not verify: ${facts.provenance.reasons.slice(0, 3).join('; ')}.`,
      remediation: 'Treat the release as tampered with: do not install it, and report it to the index and the maintainers.',
    },
  ];
};

const provenanceRegression: PythonCheck = ({ pin, facts }) => {
  if (facts?.status !== 'ok' || facts.provenance.status !== 'missing' || facts.earlierWithProvenance.length === 0) return [];
  return [
    {
      ruleId: 'provenance-regression',
      severity: severityForTier(pin.tier, { strict: 'high', ai: 'high', other: 'medium' }),
      ...base(pin, { earlierWithProvenance: facts.earlierWithProvenance, files: facts.provenance.files }),
      message: `${label(pin)} ${pin.version} (${where(pin)}) has no PEP 740 provenance, but ${facts.earlierWithProvenance.join(', ')} ${facts.earlierWithProvenance.length === 1 ? 'was' : 'were'} uploaded with it by a Trusted Publisher: a release pushed outside the usual pipeline, as from a stolen token.`,
      remediation: `Verify the release with the maintainers or pin ${facts.earlierWithProvenance[0] ?? 'the previous release'}.`,
    },
  ];
};

const sourceMismatch: PythonCheck = ({ pin, facts }, { policy }) => {
  const expected = policy.expectedSources[pin.requirement.name] ?? policy.expectedSources[pin.requirement.normalized];
  if (!expected || facts?.status !== 'ok' || facts.provenance.status !== 'verified') return [];
  const want = expected.toLowerCase().replace(/^https?:\/\//, '').replace(/\.git$/, '').replace(/\/+$/, '');
  const actual = facts.provenance.publishers.map((publisher) => `${publisher.kind.toLowerCase() === 'gitlab' ? 'gitlab.com' : 'github.com'}/${publisher.repository ?? ''}`.toLowerCase());
  if (actual.every((repository) => repository === want)) return [];
  return [
    {
      ruleId: 'provenance-source-mismatch',
      severity: 'high',
      ...base(pin, { expected, attested: actual }),
      message: `The Trusted Publisher of ${pin.requirement.name} ${pin.version} is ${actual.join(', ')}, not ${expected} as the policy expects.`,
      remediation: 'Check whether the project moved; otherwise treat the release as untrusted.',
    },
  ];
};

const PYTHON_CHECKS: Partial<Record<RuleId, PythonCheck[]>> = {
  'ai-gateway-image-unpinned': [unpinned, compromised],
  'version-not-listed': [notListed],
  'version-yanked': [yanked],
  'recent-release': [recentRelease],
  'lockfile-integrity-mismatch': [integrityMismatch],
  'provenance-invalid': [provenanceInvalid],
  'provenance-regression': [provenanceRegression],
  'provenance-source-mismatch': [sourceMismatch],
};

/** A gateway image pulled by a moving tag whose build is younger than the window: what a pull today would run. */
function recentImage(item: ImageSubject, { policy, now }: PythonCheckInput): Finding[] {
  const { resolution } = item;
  if (resolution.status !== 'resolved' || !resolution.created) return [];
  const window = releaseWindow(item.image.repository, item.tier, policy, null);
  const created = Date.parse(resolution.created);
  const age = now.getTime() - created;
  if (age >= window.ms) return [];
  const waitUntil = new Date(created + window.ms).toISOString();
  return [
    {
      ruleId: 'recent-release',
      severity: 'high',
      package: { name: item.image.repository, version: item.image.tag },
      location: { file: item.file, line: item.line },
      paths: [],
      aiTier: item.tier,
      evidence: { kind: 'image', tool: item.tool, ref: item.image.raw, digest: resolution.digest, created: resolution.created, platform: resolution.platform, ageMs: age, windowMs: window.ms, waitUntil },
      message: `The ${item.tool} image ${item.image.raw} (${item.file}${item.line ? `:${item.line}` : ''}) currently resolves to ${resolution.digest}, built ${age < 0 ? `${formatDuration(-age)} after the evaluation time` : `${formatDuration(age)} ago`} (release-age window ${formatDuration(window.ms)}).`,
      remediation: `Pin the image by the digest of a reviewed, older build (${item.image.repository}@sha256:…) instead of the tag, or wait until ${waitUntil}.`,
    },
  ];
}
