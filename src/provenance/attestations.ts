import type { BundleCryptoResult } from './bundle-verify.js';
import { normalizeRepository, sourceFromCertificate, sourceFromPredicate, SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1, type AttestedSource } from './slsa.js';

export const NPM_PUBLISH_V01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const INTOTO_STATEMENT_TYPES = new Set(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']);
const PROVENANCE_TYPES = new Set([SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1]);

export interface AttestationEntry {
  predicateType: string;
  bundle: unknown;
}

export interface AttestedPackage {
  name: string;
  version: string;
  /** The LOCKED sha512 integrity: the attestation must be about exactly the tarball we install. */
  integrity: string;
  /** Keyids of the registry's attestation keys (a DSSE keyid must name one of them). */
  registryKeyids: string[];
}

export type AttestationStatus = 'verified' | 'invalid' | 'missing';

export interface AttestationVerdict {
  status: AttestationStatus;
  problems: string[];
  /** From the verified SLSA provenance; null when there is none. */
  source: AttestedSource | null;
  predicateTypes: string[];
  /** Whether the registry's own publish attestation verified. */
  publishAttestation: boolean;
}

/** Body of the attestations endpoint → its entries; throws a readable message when malformed. */
export function parseAttestationsDocument(doc: unknown): AttestationEntry[] {
  const list = typeof doc === 'object' && doc !== null ? (doc as { attestations?: unknown }).attestations : undefined;
  if (!Array.isArray(list)) throw new Error('the attestations document has no attestations list');
  return list.map((item, index) => {
    const entry = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    if (typeof entry.predicateType !== 'string' || typeof entry.bundle !== 'object' || entry.bundle === null) {
      throw new Error(`attestation ${index} has no predicateType or bundle`);
    }
    return { predicateType: entry.predicateType, bundle: entry.bundle };
  });
}

interface Statement {
  _type?: unknown;
  subject?: unknown;
  predicateType?: unknown;
  predicate?: unknown;
}

/** The DSSE payload type, keyids and decoded in-toto statement of a bundle (null when unreadable). */
export function envelopeOf(bundle: unknown): { payloadType: string | null; keyids: string[]; statement: Statement | null } {
  const envelope = (bundle as { dsseEnvelope?: { payload?: unknown; payloadType?: unknown; signatures?: unknown } } | null)?.dsseEnvelope;
  const keyids = Array.isArray(envelope?.signatures)
    ? envelope.signatures.map((sig) => (sig as { keyid?: unknown }).keyid).filter((id): id is string => typeof id === 'string' && id !== '')
    : [];
  let statement: Statement | null = null;
  if (typeof envelope?.payload === 'string') {
    try {
      statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
    } catch {
      statement = null;
    }
  }
  return { payloadType: typeof envelope?.payloadType === 'string' ? envelope.payloadType : null, keyids, statement };
}

/** npm's package URL for a version; the leading `@` of a scope is percent-encoded. */
export function npmPurl(name: string, version: string): string {
  return `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;
}

/**
 * Everything besides the cryptography: each bundle must be an in-toto statement about exactly
 * `pkg:npm/<name>@<version>` with the locked sha512, the publish attestation must be signed by
 * the registry's key, provenance by a Fulcio certificate whose workflow repository agrees with
 * what the statement claims. One failing bundle makes the whole version invalid.
 */
export function judgeAttestations(target: AttestedPackage, entries: AttestationEntry[], crypto: BundleCryptoResult[]): AttestationVerdict {
  const problems: string[] = [];
  let source: AttestedSource | null = null;
  let publishAttestation = false;
  if (entries.length === 0) problems.push('the registry lists attestations but the document holds none');
  entries.forEach((entry, index) => {
    const label = labelOf(entry.predicateType, index);
    const result = crypto[index];
    if (!result || !result.ok) {
      problems.push(`${label}: Sigstore verification failed (${result ? `${result.code}: ${result.message}` : 'not verified'})`);
      return;
    }
    const before = problems.length;
    const { payloadType, keyids, statement } = envelopeOf(entry.bundle);
    if (payloadType !== INTOTO_PAYLOAD_TYPE) problems.push(`${label}: payload type ${payloadType ?? 'missing'} is not in-toto`);
    for (const keyid of keyids) {
      if (!target.registryKeyids.includes(keyid)) problems.push(`${label}: signature names key ${keyid}, which the registry does not publish`);
    }
    if (!statement || !INTOTO_STATEMENT_TYPES.has(String(statement._type))) {
      problems.push(`${label}: not an in-toto statement`);
      return;
    }
    if (statement.predicateType !== entry.predicateType) {
      problems.push(`${label}: the statement's predicate type ${String(statement.predicateType)} differs from the one the registry lists`);
    }
    const subjectProblem = checkSubject(statement.subject, target);
    if (subjectProblem) problems.push(`${label}: ${subjectProblem}`);
    if (entry.predicateType === NPM_PUBLISH_V01) {
      if (result.signer.kind !== 'key') problems.push(`${label}: not signed by the registry's attestation key`);
      const predicate = (statement.predicate ?? {}) as { name?: unknown; version?: unknown };
      if (predicate.name !== target.name || predicate.version !== target.version) {
        problems.push(`${label}: attests the publication of ${String(predicate.name)}@${String(predicate.version)}`);
      }
      if (problems.length === before) publishAttestation = true;
    } else if (PROVENANCE_TYPES.has(entry.predicateType)) {
      if (result.signer.kind !== 'certificate') {
        problems.push(`${label}: not signed by a build identity certificate`);
        return;
      }
      const claimed = sourceFromPredicate(entry.predicateType, statement.predicate);
      const certified = sourceFromCertificate(result.signer);
      const mismatch = disagreement(claimed, certified);
      if (mismatch) problems.push(`${label}: ${mismatch}`);
      if (problems.length === before) {
        source = {
          ...claimed,
          repository: certified.repository ?? claimed.repository,
          ref: certified.ref ?? claimed.ref,
          commit: certified.commit ?? claimed.commit,
          identity: result.signer.subjectAlternativeName,
          issuer: result.signer.issuer,
        };
      }
    }
  });
  const predicateTypes = entries.map((entry) => entry.predicateType);
  if (problems.length > 0) return { status: 'invalid', problems, source: null, predicateTypes, publishAttestation };
  return { status: source ? 'verified' : 'missing', problems, source, predicateTypes, publishAttestation };
}

function labelOf(predicateType: string, index: number): string {
  if (predicateType === NPM_PUBLISH_V01) return 'publish attestation';
  if (PROVENANCE_TYPES.has(predicateType)) return 'provenance attestation';
  return `attestation ${index} (${predicateType})`;
}

function checkSubject(subject: unknown, target: AttestedPackage): string | null {
  const purl = npmPurl(target.name, target.version);
  const expectedHex = Buffer.from(target.integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
  if (!Array.isArray(subject) || subject.length === 0) return 'the statement has no subject';
  const named = subject.filter((s) => (s as { name?: unknown }).name === purl);
  if (named.length === 0) {
    const names = subject.map((s) => String((s as { name?: unknown }).name)).join(', ');
    return `the statement is about ${names}, not ${purl}`;
  }
  const matches = named.some((s) => {
    const digest = (s as { digest?: unknown }).digest;
    return typeof digest === 'object' && digest !== null && String((digest as { sha512?: unknown }).sha512).toLowerCase() === expectedHex;
  });
  return matches ? null : `the statement's sha512 for ${purl} is not the locked integrity ${target.integrity}`;
}

function disagreement(
  claimed: { repository: string | null; commit: string | null },
  certified: { repository: string | null; commit: string | null },
): string | null {
  const a = normalizeRepository(claimed.repository);
  const b = normalizeRepository(certified.repository);
  if (a && b && a !== b) return `the statement claims source ${claimed.repository} but the certificate was issued to a workflow of ${certified.repository}`;
  if (claimed.commit && certified.commit && claimed.commit.toLowerCase() !== certified.commit.toLowerCase()) {
    return `the statement claims commit ${claimed.commit} but the certificate was issued for ${certified.commit}`;
  }
  return null;
}
