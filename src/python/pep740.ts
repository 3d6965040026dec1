import type { BundleCryptoResult } from '../provenance/bundle-verify.js';

/** PEP 740 publish attestations and SLSA provenance, the predicates PyPI accepts. */
export const PYPI_PUBLISH_V1 = 'https://docs.pypi.org/attestations/publish/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
const ACCEPTED_PREDICATES = new Set([PYPI_PUBLISH_V1, SLSA_PROVENANCE_V1]);
const INTOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const OID = {
  issuerV2: '1.3.6.1.4.1.57264.1.8',
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
};

const PUBLISHERS: Record<string, { issuer: string; host: string; workflowPath: (workflow: string) => string }> = {
  github: { issuer: 'https://token.actions.githubusercontent.com', host: 'https://github.com', workflowPath: (workflow) => `.github/workflows/${workflow}` },
  gitlab: { issuer: 'https://gitlab.com', host: 'https://gitlab.com', workflowPath: (workflow) => `/${workflow}` },
};

/** The Trusted Publisher a provenance object names. */
export interface TrustedPublisher {
  kind: string;
  repository: string | null;
  workflow: string | null;
  environment: string | null;
}

export type Pep740Status = 'verified' | 'invalid' | 'unknown';

export interface Pep740Result {
  status: Pep740Status;
  /** Why it is invalid or unknown; one entry per failed check. */
  problems: string[];
  /** Publishers whose identity the certificates were checked against. */
  publishers: TrustedPublisher[];
  predicateTypes: string[];
}

/** The distribution file the attestations must name. */
export interface AttestedFile {
  filename: string;
  /** `sha256:<hex>` from the index. */
  sha256: string;
}

/** Verifies a Sigstore bundle (BundleVerifier.verify, or a worker running it). */
export type BundleCheck = (bundle: unknown) => BundleCryptoResult;

/**
 * A PEP 740 provenance object for one file: every attestation's Sigstore bundle must verify, its
 * in-toto statement must name exactly this file and its sha256, and the signing certificate must
 * belong to the Trusted Publisher the object names (repository and workflow).
 */
export function verifyProvenanceObject(provenance: unknown, file: AttestedFile, verify: BundleCheck): Pep740Result {
  const result: Pep740Result = { status: 'verified', problems: [], publishers: [], predicateTypes: [] };
  const root = asRecord(provenance);
  if (root.version !== 1 || !Array.isArray(root.attestation_bundles) || root.attestation_bundles.length === 0) {
    return { ...result, status: 'invalid', problems: ['not a PEP 740 provenance object (version 1 with attestation_bundles)'] };
  }
  let unknownPublisher = false;
  let verified = 0;
  for (const rawBundle of root.attestation_bundles) {
    const bundle = asRecord(rawBundle);
    const publisher = publisherOf(bundle.publisher);
    const attestations = Array.isArray(bundle.attestations) ? bundle.attestations : [];
    if (!publisher || attestations.length === 0) {
      result.problems.push('an attestation bundle has no publisher or no attestations');
      continue;
    }
    result.publishers.push(publisher);
    const expected = PUBLISHERS[publisher.kind.toLowerCase()];
    for (const [index, attestation] of attestations.entries()) {
      const label = `attestation ${index + 1} (${publisher.kind} ${publisher.repository ?? '?'})`;
      const converted = toSigstoreBundle(attestation);
      if (typeof converted === 'string') {
        result.problems.push(`${label}: ${converted}`);
        continue;
      }
      const crypto = verify(converted.bundle);
      if (!crypto.ok) {
        result.problems.push(`${label}: Sigstore verification failed (${crypto.code}: ${crypto.message})`);
        continue;
      }
      const subject = checkStatement(converted.statement, file);
      if (subject.problem) {
        result.problems.push(`${label}: ${subject.problem}`);
        continue;
      }
      if (subject.predicateType && !result.predicateTypes.includes(subject.predicateType)) result.predicateTypes.push(subject.predicateType);
      if (crypto.signer.kind !== 'certificate') {
        result.problems.push(`${label}: signed by a key, not a Trusted Publisher certificate`);
        continue;
      }
      if (!expected) {
        unknownPublisher = true;
        continue;
      }
      const identity = checkIdentity(crypto.signer.extensions, crypto.signer.issuer, publisher, expected);
      if (identity) result.problems.push(`${label}: ${identity}`);
      else verified++;
    }
  }
  if (result.problems.length > 0) return { ...result, status: 'invalid' };
  if (verified === 0 && unknownPublisher) return { ...result, status: 'unknown', problems: [`the publisher kind ${result.publishers.map((item) => item.kind).join(', ')} is not one whose identity this tool can check`] };
  return verified > 0 ? result : { ...result, status: 'invalid', problems: ['no attestation could be verified'] };
}

function publisherOf(value: unknown): TrustedPublisher | null {
  const publisher = asRecord(value);
  if (typeof publisher.kind !== 'string') return null;
  const text = (key: string): string | null => (typeof publisher[key] === 'string' ? (publisher[key] as string) : null);
  return { kind: publisher.kind, repository: text('repository') ?? text('project'), workflow: text('workflow') ?? text('workflow_filepath'), environment: text('environment') };
}

/** A PEP 740 attestation object as the Sigstore bundle (v0.3, DSSE) it was made from. */
export function toSigstoreBundle(attestation: unknown): { bundle: unknown; statement: unknown } | string {
  const object = asRecord(attestation);
  const material = asRecord(object.verification_material);
  const envelope = asRecord(object.envelope);
  if (object.version !== 1 || typeof material.certificate !== 'string' || !Array.isArray(material.transparency_entries) || typeof envelope.statement !== 'string' || typeof envelope.signature !== 'string') {
    return 'not a PEP 740 attestation object (version 1, verification_material, envelope)';
  }
  let statement: unknown;
  try {
    statement = JSON.parse(Buffer.from(envelope.statement, 'base64').toString('utf8'));
  } catch {
    return 'the envelope statement is not base64 JSON';
  }
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: material.certificate }, tlogEntries: material.transparency_entries, timestampVerificationData: { rfc3161Timestamps: [] } },
    dsseEnvelope: { payload: envelope.statement, payloadType: INTOTO_PAYLOAD_TYPE, signatures: [{ sig: envelope.signature, keyid: '' }] },
  };
  return { bundle, statement };
}

function checkStatement(value: unknown, file: AttestedFile): { problem: string | null; predicateType: string | null } {
  const statement = asRecord(value);
  const predicateType = typeof statement.predicateType === 'string' ? statement.predicateType : null;
  if (statement._type !== INTOTO_STATEMENT_V1) return { problem: `the statement is not an in-toto v1 statement`, predicateType };
  if (!predicateType || !ACCEPTED_PREDICATES.has(predicateType)) return { problem: `the predicate type ${predicateType ?? '(none)'} is not a PyPI publish attestation or SLSA provenance`, predicateType };
  const subjects = Array.isArray(statement.subject) ? statement.subject.map(asRecord) : [];
  if (subjects.length !== 1) return { problem: `the statement names ${subjects.length} subjects, not exactly one`, predicateType };
  const subject = subjects[0] ?? {};
  const digest = asRecord(subject.digest).sha256;
  if (subject.name !== file.filename) return { problem: `the statement names ${String(subject.name)}, not ${file.filename}`, predicateType };
  if (typeof digest !== 'string' || `sha256:${digest.toLowerCase()}` !== file.sha256) return { problem: `the statement's sha256 ${String(digest)} is not the index's ${file.sha256.slice('sha256:'.length)} for ${file.filename}`, predicateType };
  return { problem: null, predicateType };
}

function checkIdentity(extensions: Record<string, string>, issuer: string | null, publisher: TrustedPublisher, expected: (typeof PUBLISHERS)[string]): string | null {
  const certificateIssuer = extensions[OID.issuerV2] ?? extensions[OID.issuerV1] ?? issuer;
  if (certificateIssuer !== expected.issuer) return `the certificate was issued for ${certificateIssuer ?? 'no OIDC issuer'}, not ${publisher.kind}'s ${expected.issuer}`;
  if (!publisher.repository || !publisher.workflow) return `the ${publisher.kind} publisher names no repository or workflow`;
  const repositoryUri = `${expected.host}/${publisher.repository}`;
  const source = extensions[OID.sourceRepositoryUri];
  if (!source || source.toLowerCase() !== repositoryUri.toLowerCase()) return `the certificate's source repository ${source ?? '(none)'} is not the Trusted Publisher's ${repositoryUri}`;
  const signer = extensions[OID.buildSignerUri] ?? '';
  const workflowPrefix = `${repositoryUri}/${expected.workflowPath(publisher.workflow)}@`;
  if (!signer.toLowerCase().startsWith(workflowPrefix.toLowerCase())) return `the certificate's build signer ${signer || '(none)'} is not the Trusted Publisher's workflow ${publisher.workflow}`;
  return null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
