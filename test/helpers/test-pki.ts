/**
 * A hermetic TEST PKI that produces genuine Sigstore bundles.
 *
 * Everything here is generated fresh by `createTestPki()` with node:crypto:
 *
 *  - a Fulcio stand-in: self-signed root CA + intermediate CA (ECDSA P-384, ecdsa-with-SHA384),
 *    issuing 10-minute leaf certificates for an ephemeral P-256 key, carrying the Fulcio
 *    GitHub Actions extensions (OID 1.3.6.1.4.1.57264.1.x), a SAN URI workflow identity and an
 *    embedded SCT (RFC 6962 precertificate SCT) signed by our CT log key;
 *  - a Rekor stand-in: a P-256 log key, an append-only RFC 6962 Merkle log, signed entry
 *    timestamps (inclusion promises) and signed checkpoints with inclusion proofs;
 *  - a CT log stand-in (P-256);
 *  - an npm registry signing key (P-256) used for `dist.signatures` and npm publish attestations.
 *
 * `trustedRoot` is a Sigstore TrustedRoot (protobuf-specs JSON form) naming these keys, so the real
 * `@sigstore/verify` Verifier verifies the bundles (tlogThreshold 1, ctlogThreshold 1, SET +
 * inclusion proof + checkpoint all checked). The `tamper` helpers and the `faults` options produce
 * bundles that must fail verification.
 *
 * X.509 / DER encoding is done by the small encoder below (no extra dependency). The bundle shapes
 * follow real npm registry responses (see the shared real-world corpus, fixtures/real-world/attestations).
 */
import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import { X509Certificate } from '@sigstore/core';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export const BUNDLE_V02_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle+json;version=0.2';
export const BUNDLE_V03_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const NPM_PUBLISH_V01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
export const TEST_REKOR_URL = 'https://rekor.test-pki.invalid';
export const TEST_CTLOG_URL = 'https://ctfe.test-pki.invalid/test';
export const TEST_FULCIO_URL = 'https://fulcio.test-pki.invalid';
export const TEST_REGISTRY_URL = 'https://registry.example.test';

export interface TlogEntryJson {
  logIndex: string;
  logId: { keyId: string };
  kindVersion: { kind: string; version: string };
  integratedTime: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof?: {
    logIndex: string;
    rootHash: string;
    treeSize: string;
    hashes: string[];
    checkpoint: { envelope: string };
  };
  canonicalizedBody: string;
}

/** Sigstore bundle, protobuf-specs JSON form (what the npm attestations endpoint serves). */
export interface BundleJson {
  mediaType: string;
  verificationMaterial: {
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    publicKey?: { hint: string };
    tlogEntries: TlogEntryJson[];
    timestampVerificationData?: { rfc3161Timestamps: unknown[] };
  };
  dsseEnvelope: {
    payload: string;
    payloadType: string;
    signatures: { sig: string; keyid: string }[];
  };
}

export interface InTotoStatement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

export interface TrustedRootJson {
  mediaType: string;
  tlogs: TransparencyLogJson[];
  certificateAuthorities: CertificateAuthorityJson[];
  ctlogs: TransparencyLogJson[];
  timestampAuthorities: CertificateAuthorityJson[];
}

export interface TransparencyLogJson {
  baseUrl: string;
  hashAlgorithm: 'SHA2_256';
  publicKey: { rawBytes: string; keyDetails: string; validFor: { start: string; end?: string } };
  logId: { keyId: string };
}

export interface CertificateAuthorityJson {
  subject: { organization: string; commonName: string };
  uri: string;
  certChain: { certificates: { rawBytes: string }[] };
  validFor: { start: string; end?: string };
}

export interface RegistryKey {
  /** npm-style keyid: `SHA256:` + unpadded base64 OpenSSH fingerprint of the key. */
  keyid: string;
  publicKeyPem: string;
  /** base64 of the SubjectPublicKeyInfo DER (what `/-/npm/v1/keys` serves in `key`). */
  publicKeyBase64Der: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export interface RegistryKeysDocument {
  keys: { expires: string | null; keyid: string; keytype: string; scheme: string; key: string }[];
}

/** The TUF keys.json target of the registry (what npm >= 9 reads through @sigstore/tuf). */
export interface RegistryKeysTufDocument {
  keys: {
    keyId: string;
    keyUsage: 'npm:signatures' | 'npm:attestations';
    publicKey: { rawBytes: string; keyDetails: string; validFor: { start: string; end?: string } };
  }[];
}

export interface AttestationsDocument {
  attestations: { predicateType: string; bundle: BundleJson }[];
}

export type TlogKind = 'dsse' | 'intoto';
export type BundleVersion = '0.2' | '0.3';

/** Ways to make an otherwise well-formed, consistently logged bundle that must NOT verify. */
export interface ProvenanceFaults {
  /** Leaf certificate issued by a different CA (not in the trusted root). */
  foreignCa?: boolean;
  /** Leaf certificate without an embedded SCT (fails with ctlogThreshold >= 1). */
  noSct?: boolean;
  /** SCT signed by a CT key that is not in the trusted root. */
  untrustedSct?: boolean;
  /** DSSE signed with a key other than the certificate's (tlog entry consistent with it). */
  wrongSigningKey?: boolean;
  /** integratedTime is after the leaf certificate expired. */
  signedAfterCertExpiry?: boolean;
  /** Tlog entry (SET + checkpoint) signed by a log key that is not in the trusted root. */
  untrustedTlog?: boolean;
}

export interface PublishFaults {
  /** DSSE signed with some other key, but hinted as the registry key (tlog entry consistent). */
  wrongSigningKey?: boolean;
  /** Tlog entry (SET + checkpoint) signed by a log key that is not in the trusted root. */
  untrustedTlog?: boolean;
}

export interface ProvenanceOptions {
  name: string;
  version: string;
  /** SRI, must be `sha512-<base64>`. */
  integrity: string;
  /** e.g. 'https://github.com/org/repo' (default https://github.com/test-org/<unscoped name>). */
  sourceRepo?: string;
  /** default 'refs/heads/main' */
  ref?: string;
  /** workflow path, default '.github/workflows/release.yml' */
  workflow?: string;
  /** 40-hex git commit (default: random) */
  commit?: string;
  /** default 'v1' */
  slsa?: 'v0.2' | 'v1';
  /** signing time (default: pki now) */
  issuedAt?: Date;
  /** OIDC issuer recorded in the certificate (default GitHub Actions). */
  oidcIssuer?: string;
  /** Override the SAN URI (default `${sourceRepo}/${workflow}@${ref}`). */
  subjectAlternativeName?: string;
  /** default '0.3' (certificate); '0.2' uses x509CertificateChain like older npm bundles. */
  bundleVersion?: BundleVersion;
  /** default 'dsse' for v0.3, 'intoto' for v0.2. */
  tlogKind?: TlogKind;
  /** Include an inclusion proof + checkpoint (default true; the SET is always included). */
  inclusionProof?: boolean;
  /** Edit the statement BEFORE signing (the result is validly signed and logged). */
  transformStatement?: (statement: InTotoStatement) => unknown;
  faults?: ProvenanceFaults;
}

export interface PublishOptions {
  name: string;
  version: string;
  integrity: string;
  issuedAt?: Date;
  /** default '0.2' (what the npm registry serves); '0.3' possible. */
  bundleVersion?: BundleVersion;
  /** default 'intoto' for v0.2, 'dsse' for v0.3. */
  tlogKind?: TlogKind;
  inclusionProof?: boolean;
  transformStatement?: (statement: InTotoStatement) => unknown;
  faults?: PublishFaults;
}

export interface TestPki {
  /** The PKI's reference time (certificates, keys and logs are valid around it). */
  now: Date;
  trustedRoot: TrustedRootJson;
  registryKey: RegistryKey;
  /** PEM of the root CA and intermediate CA certificates (for debugging / other tests). */
  caCertificatesPem: { root: string; intermediate: string };
  /** Body of `GET /-/npm/v1/keys`. */
  registryKeysDocument(opts?: { expires?: string | null }): RegistryKeysDocument;
  /** The TUF keys.json target shape of the registry (npm >= 9.x key source). */
  registryKeysTufDocument(opts?: { start?: string; end?: string }): RegistryKeysTufDocument;
  /** A `dist.signatures` entry over `${name}@${version}:${integrity}`. */
  signRegistry(name: string, version: string, integrity: string): { keyid: string; sig: string };
  provenanceBundle(opts: ProvenanceOptions): BundleJson;
  publishAttestationBundle(opts: PublishOptions): BundleJson;
  /** Body of `GET /-/npm/v1/attestations/<name>@<version>`. */
  attestationsDocument(bundles: BundleJson[]): AttestationsDocument;
}

// ---------------------------------------------------------------------------------------------
// Minimal DER encoder
// ---------------------------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const der = {
  seq: (...c: Buffer[]): Buffer => tlv(0x30, ...c),
  set: (...c: Buffer[]): Buffer => tlv(0x31, ...c),
  bool: (b: boolean): Buffer => tlv(0x01, Buffer.from([b ? 0xff : 0x00])),
  octet: (b: Buffer): Buffer => tlv(0x04, b),
  bitString: (b: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.from([unusedBits]), b),
  utf8: (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8')),
  ia5: (s: string): Buffer => tlv(0x16, Buffer.from(s, 'ascii')),
  /** context-specific tag; constructed for EXPLICIT wrappers */
  ctx: (n: number, constructed: boolean, ...c: Buffer[]): Buffer =>
    tlv((constructed ? 0xa0 : 0x80) | n, ...c),
  /** non-negative integer from a big-endian magnitude */
  uint(magnitude: Buffer): Buffer {
    let i = 0;
    while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
    let m = magnitude.subarray(i);
    if ((m[0] ?? 0) & 0x80) m = Buffer.concat([Buffer.from([0]), m]);
    return tlv(0x02, m);
  },
  small: (n: number): Buffer => der.uint(Buffer.from([n])),
  oid(dotted: string): Buffer {
    const parts = dotted.split('.').map(Number);
    const [a = 0, b = 0, ...rest] = parts;
    const out: number[] = [a * 40 + b];
    for (const p of rest) {
      const chunk: number[] = [p & 0x7f];
      for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
      out.push(...chunk);
    }
    return tlv(0x06, Buffer.from(out));
  },
  time(d: Date): Buffer {
    const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z'; // YYYYMMDDHHMMSSZ
    const year = d.getUTCFullYear();
    return year >= 1950 && year < 2050
      ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) // UTCTime
      : tlv(0x18, Buffer.from(digits, 'ascii')); // GeneralizedTime
  },
};

const OID = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  organization: '2.5.4.10',
  commonName: '2.5.4.3',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  fulcio: (n: number): string => `1.3.6.1.4.1.57264.1.${n}`,
};

function name(organization: string, commonName: string): Buffer {
  return der.seq(
    der.set(der.seq(der.oid(OID.organization), der.utf8(organization))),
    der.set(der.seq(der.oid(OID.commonName), der.utf8(commonName))),
  );
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.seq(der.oid(oid), der.bool(true), der.octet(value))
    : der.seq(der.oid(oid), der.octet(value));
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates
// ---------------------------------------------------------------------------------------------

type Curve = 'P-256' | 'P-384';

interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  spki: Buffer;
  curve: Curve;
}

function newKey(curve: Curve = 'P-256'): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return { publicKey, privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }), curve };
}

const sha256 = (...data: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const d of data) h.update(d);
  return h.digest();
};

const hashFor = (k: KeyPair): 'sha256' | 'sha384' => (k.curve === 'P-384' ? 'sha384' : 'sha256');

function keyIdentifier(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

function serialNumber(): Buffer {
  const s = randomBytes(20);
  s[0] = ((s[0] ?? 1) & 0x7f) | 0x01;
  return s;
}

interface Certificate {
  der: Buffer;
  spki: Buffer;
  subject: Buffer;
  keyId: Buffer;
}

function algorithmIdentifier(signer: KeyPair): Buffer {
  return der.seq(der.oid(signer.curve === 'P-384' ? OID.ecdsaWithSHA384 : OID.ecdsaWithSHA256));
}

function tbsCertificate(opts: {
  serial: Buffer;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  signer: KeyPair;
  extensions: Buffer[];
}): Buffer {
  return der.seq(
    der.ctx(0, true, der.small(2)), // v3
    der.uint(opts.serial),
    algorithmIdentifier(opts.signer),
    opts.issuer,
    der.seq(der.time(opts.notBefore), der.time(opts.notAfter)),
    opts.subject,
    opts.spki,
    der.ctx(3, true, der.seq(...opts.extensions)),
  );
}

/**
 * @sigstore/core re-encodes the parsed certificate (it heuristically parses OCTET STRING contents
 * as nested ASN.1) before checking signatures, so random bytes (SCT, key ids, serial) could in rare
 * cases re-encode differently. Use its own parser to check that our DER round-trips; callers
 * regenerate (fresh serial / signatures) when it does not.
 */
function reencodes(cert: Buffer): boolean {
  try {
    return X509Certificate.parse(Buffer.from(cert)).root.toDER().equals(cert);
  } catch {
    return false;
  }
}

function untilReencodes(make: () => Buffer): Buffer {
  for (let attempt = 0; attempt < 50; attempt++) {
    const cert = make();
    if (reencodes(cert)) return cert;
  }
  throw new Error('test-pki: certificate does not survive an ASN.1 round trip through @sigstore/core');
}

function signCertificate(tbs: Buffer, signer: KeyPair): Buffer {
  const sig = cryptoSign(hashFor(signer), tbs, signer.privateKey);
  return der.seq(tbs, algorithmIdentifier(signer), der.bitString(sig));
}

function selfSignedRoot(key: KeyPair, org: string, cn: string, notBefore: Date, notAfter: Date): Certificate {
  const subject = name(org, cn);
  const keyId = keyIdentifier(key.spki);
  const cert = untilReencodes(() => {
    const tbs = tbsCertificate({
      serial: serialNumber(),
      issuer: subject,
      subject,
      notBefore,
      notAfter,
      spki: key.spki,
      signer: key,
      extensions: [
        extension(OID.keyUsage, true, der.bitString(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
        extension(OID.basicConstraints, true, der.seq(der.bool(true), der.small(1))),
        extension(OID.subjectKeyId, false, der.octet(keyId)),
      ],
    });
    return signCertificate(tbs, key);
  });
  return { der: cert, spki: key.spki, subject, keyId };
}

function intermediateCa(key: KeyPair, issuer: Certificate, issuerKey: KeyPair, org: string, cn: string, notBefore: Date, notAfter: Date): Certificate {
  const subject = name(org, cn);
  const keyId = keyIdentifier(key.spki);
  const cert = untilReencodes(() => {
    const tbs = tbsCertificate({
      serial: serialNumber(),
      issuer: issuer.subject,
      subject,
      notBefore,
      notAfter,
      spki: key.spki,
      signer: issuerKey,
      extensions: [
        extension(OID.keyUsage, true, der.bitString(Buffer.from([0x06]), 1)),
        extension(OID.extKeyUsage, false, der.seq(der.oid(OID.codeSigning))),
        extension(OID.basicConstraints, true, der.seq(der.bool(true), der.small(0))),
        extension(OID.subjectKeyId, false, der.octet(keyId)),
        extension(OID.authorityKeyId, false, der.seq(der.ctx(0, false, issuer.keyId))),
      ],
    });
    return signCertificate(tbs, issuerKey);
  });
  return { der: cert, spki: key.spki, subject, keyId };
}

interface FulcioIdentity {
  san: string;
  oidcIssuer: string;
  /** OID suffix -> value; values for suffix <= 6 are raw bytes (v1), others DER UTF8String (v2). */
  claims: [number, string][];
}

/** SignedCertificateTimestamp (RFC 6962 §3.2), v1, over a precert entry. */
function makeSct(ctKey: KeyPair, ctLogId: Buffer, issuerSpki: Buffer, preTbs: Buffer, when: Date): Buffer {
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(BigInt(when.getTime()));
  const tbsLen = Buffer.alloc(3);
  tbsLen.writeUIntBE(preTbs.length, 0, 3);
  const signed = Buffer.concat([
    Buffer.from([0x00, 0x00]), // version v1, signature_type certificate_timestamp
    timestamp,
    Buffer.from([0x00, 0x01]), // entry_type precert_entry
    sha256(issuerSpki),
    tbsLen,
    preTbs,
    Buffer.from([0x00, 0x00]), // no extensions
  ]);
  const sig = cryptoSign('sha256', signed, ctKey.privateKey);
  const sigLen = Buffer.alloc(2);
  sigLen.writeUInt16BE(sig.length);
  return Buffer.concat([
    Buffer.from([0x00]), // version
    ctLogId,
    timestamp,
    Buffer.from([0x00, 0x00]), // extensions length
    Buffer.from([0x04, 0x03]), // sha256, ecdsa
    sigLen,
    sig,
  ]);
}

function sctListExtension(sct: Buffer): Buffer {
  const item = Buffer.alloc(2);
  item.writeUInt16BE(sct.length);
  const list = Buffer.concat([item, sct]);
  const total = Buffer.alloc(2);
  total.writeUInt16BE(list.length);
  return extension(OID.sctList, false, der.octet(Buffer.concat([total, list])));
}

function leafCertificate(opts: {
  leafKey: KeyPair;
  issuer: Certificate;
  issuerKey: KeyPair;
  notBefore: Date;
  notAfter: Date;
  identity: FulcioIdentity;
  sct?: { key: KeyPair; logId: Buffer } | undefined;
}): Buffer {
  const { leafKey, issuer, issuerKey, identity } = opts;
  const base: Buffer[] = [
    extension(OID.keyUsage, true, der.bitString(Buffer.from([0x80]), 7)), // digitalSignature
    extension(OID.extKeyUsage, false, der.seq(der.oid(OID.codeSigning))),
    extension(OID.subjectKeyId, false, der.octet(keyIdentifier(leafKey.spki))),
    extension(OID.authorityKeyId, false, der.seq(der.ctx(0, false, issuer.keyId))),
    extension(OID.subjectAltName, true, der.seq(der.ctx(6, false, Buffer.from(identity.san, 'ascii')))),
  ];
  for (const [suffix, value] of identity.claims) {
    const v = suffix <= 6 ? Buffer.from(value, 'utf8') : der.utf8(value);
    base.push(extension(OID.fulcio(suffix), false, v));
  }
  return untilReencodes(() => {
    const serial = serialNumber();
    const make = (exts: Buffer[]): Buffer =>
      tbsCertificate({
        serial,
        issuer: issuer.subject,
        subject: der.seq(), // Fulcio leaf certificates have an empty subject
        notBefore: opts.notBefore,
        notAfter: opts.notAfter,
        spki: leafKey.spki,
        signer: issuerKey,
        extensions: exts,
      });
    let tbs: Buffer;
    if (opts.sct) {
      const preTbs = make(base);
      const sct = makeSct(opts.sct.key, opts.sct.logId, issuer.spki, preTbs, opts.notBefore);
      tbs = make([...base, sctListExtension(sct)]);
    } else {
      tbs = make(base);
    }
    return signCertificate(tbs, issuerKey);
  });
}

function toPem(label: string, derBytes: Buffer): string {
  const b64 = derBytes.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

/** npm registry keyid: OpenSSH SHA256 fingerprint of the ecdsa-sha2-nistp256 public key blob. */
function npmKeyId(spki: Buffer): string {
  const point = spki.subarray(spki.length - 65);
  const str = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([str(Buffer.from('ecdsa-sha2-nistp256')), str(Buffer.from('nistp256')), str(point)]);
  return 'SHA256:' + sha256(blob).toString('base64').replace(/=+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Transparency log (Rekor stand-in)
// ---------------------------------------------------------------------------------------------

/** JSON canonicalization for the simple values used here (sorted keys, no whitespace). */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

const leafHash = (data: Buffer): Buffer => sha256(Buffer.from([0x00]), data);
const nodeHash = (l: Buffer, r: Buffer): Buffer => sha256(Buffer.from([0x01]), l, r);

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 Merkle tree hash over leaf hashes. */
function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0] as Buffer;
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** RFC 6962 audit path, ordered from the leaf level upwards. */
function auditPath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), merkleRoot(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
}

interface TransparencyLog {
  key: KeyPair;
  logId: Buffer;
  host: string;
  treeId: string;
  /** global log index of shard index 0 (Rekor has sharded logs; entries carry both indexes) */
  globalOffset: number;
  leaves: Buffer[];
}

function newTransparencyLog(key: KeyPair, host: string): TransparencyLog {
  const leaves: Buffer[] = [];
  const prefill = 5 + (randomBytes(1)[0] ?? 0) % 8;
  for (let i = 0; i < prefill; i++) leaves.push(leafHash(randomBytes(64)));
  return {
    key,
    logId: sha256(key.spki),
    host,
    treeId: BigInt('0x' + randomBytes(7).toString('hex')).toString(),
    globalOffset: 100_000_000 + ((randomBytes(2).readUInt16BE(0) * 37) % 1_000_000),
    leaves,
  };
}

function appendToLog(
  log: TransparencyLog,
  body: object,
  integratedTime: number,
  kind: TlogKind,
  version: string,
  withProof: boolean,
): TlogEntryJson {
  const canonicalizedBody = Buffer.from(canonicalJson(body), 'utf8');
  log.leaves.push(leafHash(canonicalizedBody));
  const shardIndex = log.leaves.length - 1;
  // other clients keep writing to the log
  for (let i = 0; i < 2; i++) log.leaves.push(leafHash(randomBytes(64)));
  const logIndex = log.globalOffset + shardIndex;

  const setPayload = canonicalJson({
    body: canonicalizedBody.toString('base64'),
    integratedTime,
    logIndex,
    logID: log.logId.toString('hex'),
  });
  const set = cryptoSign('sha256', Buffer.from(setPayload, 'utf8'), log.key.privateKey);

  const entry: TlogEntryJson = {
    logIndex: String(logIndex),
    logId: { keyId: log.logId.toString('base64') },
    kindVersion: { kind, version },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: set.toString('base64') },
    canonicalizedBody: canonicalizedBody.toString('base64'),
  };
  if (withProof) {
    const leaves = log.leaves.slice();
    const root = merkleRoot(leaves);
    const note =
      `${log.host} - ${log.treeId}\n${leaves.length}\n${root.toString('base64')}\n` +
      `Timestamp: ${BigInt(integratedTime) * 1_000_000_000n + 123_456_789n}\n`;
    const noteSig = cryptoSign('sha256', Buffer.from(note, 'utf8'), log.key.privateKey);
    const sigLine = Buffer.concat([log.logId.subarray(0, 4), noteSig]).toString('base64');
    entry.inclusionProof = {
      logIndex: String(shardIndex),
      rootHash: root.toString('base64'),
      treeSize: String(leaves.length),
      hashes: auditPath(shardIndex, leaves).map((h) => h.toString('base64')),
      checkpoint: { envelope: `${note}\n\u2014 ${log.host} ${sigLine}\n` },
    };
  }
  return entry;
}

/** Rekor body for a DSSE envelope: dsse v0.0.1 or intoto v0.0.2. */
function rekorBody(kind: TlogKind, env: BundleJson['dsseEnvelope'], verifierPem: string): object {
  const payload = Buffer.from(env.payload, 'base64');
  const sig = env.signatures[0]?.sig ?? '';
  const keyid = env.signatures[0]?.keyid ?? '';
  const envelopeJson = JSON.stringify({
    payload: env.payload,
    payloadType: env.payloadType,
    signatures: env.signatures.map((s) => (s.keyid ? s : { sig: s.sig })),
  });
  const verifier = Buffer.from(verifierPem, 'utf8').toString('base64');
  if (kind === 'dsse') {
    return {
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelopeJson)).toString('hex') },
        payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
        signatures: [{ signature: sig, verifier }],
      },
    };
  }
  return {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: {
          payloadType: env.payloadType,
          // intoto v0.0.2 stores the signature base64-encoded a second time
          signatures: [{ ...(keyid ? { keyid } : {}), publicKey: verifier, sig: Buffer.from(sig, 'utf8').toString('base64') }],
        },
        hash: { algorithm: 'sha256', value: sha256(Buffer.from(envelopeJson)).toString('hex') },
        payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// DSSE / in-toto
// ---------------------------------------------------------------------------------------------

function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const prefix = `DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `;
  return Buffer.concat([Buffer.from(prefix, 'utf8'), payload]);
}

function signEnvelope(statement: unknown, key: KeyObject, keyid: string): BundleJson['dsseEnvelope'] {
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const sig = cryptoSign('sha256', preAuthEncoding(INTOTO_PAYLOAD_TYPE, payload), key);
  return {
    payload: payload.toString('base64'),
    payloadType: INTOTO_PAYLOAD_TYPE,
    signatures: [{ sig: sig.toString('base64'), keyid }],
  };
}

/** hex sha512 from an SRI `sha512-<base64>` string. */
export function sriToSha512Hex(integrity: string): string {
  const m = /^sha512-([A-Za-z0-9+/=]+)$/.exec(integrity.trim());
  if (!m || m[1] === undefined) throw new Error(`test-pki: expected a sha512 SRI integrity, got ${integrity}`);
  const digest = Buffer.from(m[1], 'base64');
  if (digest.length !== 64) throw new Error(`test-pki: sha512 digest must be 64 bytes, got ${digest.length}`);
  return digest.toString('hex');
}

/** `sha512-...` SRI for arbitrary bytes (e.g. a fake tarball). */
export function sha512Integrity(data: string | Buffer): string {
  return 'sha512-' + createHash('sha512').update(data).digest('base64');
}

export function npmPurl(name: string, version: string): string {
  // scoped names keep the @ encoded as %40 in purls (as npm does)
  return `pkg:npm/${name.startsWith('@') ? '%40' + name.slice(1) : name}@${version}`;
}

function provenanceStatement(o: Required<Pick<ProvenanceOptions, 'name' | 'version' | 'integrity' | 'sourceRepo' | 'ref' | 'workflow' | 'commit' | 'slsa'>> & { runId: string; repoId: string; ownerId: string }): InTotoStatement {
  const repository = o.sourceRepo.replace(/^https:\/\/github\.com\//, '');
  const subject = [{ name: npmPurl(o.name, o.version), digest: { sha512: sriToSha512Hex(o.integrity) } }];
  const eventName = o.ref.startsWith('refs/tags/') ? 'release' : 'push';
  if (o.slsa === 'v0.2') {
    return {
      _type: 'https://in-toto.io/Statement/v0.1',
      subject,
      predicateType: SLSA_PROVENANCE_V02,
      predicate: {
        buildType: 'https://github.com/npm/cli/gha@v0',
        builder: { id: 'https://github.com/npm/cli@9.5.0' },
        invocation: {
          configSource: {
            uri: `git+${o.sourceRepo}@${o.ref}`,
            digest: { sha1: o.commit },
            entryPoint: `${repository}/${o.workflow}@${o.ref}`,
          },
          parameters: {},
          environment: {
            GITHUB_EVENT_NAME: eventName,
            GITHUB_REF: o.ref,
            GITHUB_REPOSITORY: repository,
            GITHUB_REPOSITORY_ID: o.repoId,
            GITHUB_REPOSITORY_OWNER_ID: o.ownerId,
            GITHUB_RUN_ATTEMPT: '1',
            GITHUB_RUN_ID: o.runId,
            GITHUB_SHA: o.commit,
            GITHUB_WORKFLOW_REF: `${repository}/${o.workflow}@${o.ref}`,
            GITHUB_WORKFLOW_SHA: o.commit,
          },
        },
        metadata: {
          buildInvocationId: `${o.runId}-1`,
          completeness: { parameters: false, environment: false, materials: false },
          reproducible: false,
        },
        materials: [{ uri: `git+${o.sourceRepo}@${o.ref}`, digest: { sha1: o.commit } }],
      },
    };
  }
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
        externalParameters: { workflow: { ref: o.ref, repository: o.sourceRepo, path: o.workflow } },
        internalParameters: {
          github: { event_name: eventName, repository_id: o.repoId, repository_owner_id: o.ownerId },
        },
        resolvedDependencies: [{ uri: `git+${o.sourceRepo}@${o.ref}`, digest: { gitCommit: o.commit } }],
      },
      runDetails: {
        builder: { id: 'https://github.com/actions/runner/github-hosted' },
        metadata: { invocationId: `${o.sourceRepo}/actions/runs/${o.runId}/attempts/1` },
      },
    },
  };
}

function publishStatement(name: string, version: string, integrity: string): InTotoStatement {
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    subject: [{ name: npmPurl(name, version), digest: { sha512: sriToSha512Hex(integrity) } }],
    predicateType: NPM_PUBLISH_V01,
    predicate: { name, version, registry: TEST_REGISTRY_URL },
  };
}

function githubClaims(o: { sourceRepo: string; ref: string; workflow: string; commit: string; oidcIssuer: string; runId: string; repoId: string; ownerId: string; eventName: string }): [number, string][] {
  const repository = o.sourceRepo.replace(/^https:\/\/github\.com\//, '');
  const owner = repository.split('/')[0] ?? repository;
  const workflowUri = `${o.sourceRepo}/${o.workflow}@${o.ref}`;
  return [
    [1, o.oidcIssuer],
    [2, o.eventName],
    [3, o.commit],
    [4, 'Release'],
    [5, repository],
    [6, o.ref],
    [8, o.oidcIssuer],
    [9, workflowUri],
    [10, o.commit],
    [11, 'github-hosted'],
    [12, o.sourceRepo],
    [13, o.commit],
    [14, o.ref],
    [15, o.repoId],
    [16, `https://github.com/${owner}`],
    [17, o.ownerId],
    [18, workflowUri],
    [19, o.commit],
    [20, o.eventName],
    [21, `${o.sourceRepo}/actions/runs/${o.runId}/attempts/1`],
    [22, 'public'],
  ];
}

const randomDigits = (n: number): string =>
  Array.from(randomBytes(n), (b, i) => (i === 0 ? 1 + (b % 9) : b % 10)).join('');

// ---------------------------------------------------------------------------------------------
// createTestPki
// ---------------------------------------------------------------------------------------------

const DAY = 24 * 60 * 60 * 1000;
const toSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

export function createTestPki(opts: { now?: Date; validFrom?: Date } = {}): TestPki {
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000);
  const validFrom = opts.validFrom ?? new Date(now.getTime() - 2 * 365 * DAY);
  const caNotAfter = new Date(now.getTime() + 10 * 365 * DAY);

  const rootKey = newKey('P-384');
  const intermediateKey = newKey('P-384');
  const root = selfSignedRoot(rootKey, 'test-pki.invalid', 'test-pki-fulcio-root', validFrom, caNotAfter);
  const intermediate = intermediateCa(intermediateKey, root, rootKey, 'test-pki.invalid', 'test-pki-fulcio-intermediate', validFrom, caNotAfter);

  const rekor = newTransparencyLog(newKey('P-256'), new URL(TEST_REKOR_URL).host);
  const ctKey = newKey('P-256');
  const ctLogId = sha256(ctKey.spki);

  const regKeyPair = newKey('P-256');
  const registryKey: RegistryKey = {
    keyid: npmKeyId(regKeyPair.spki),
    publicKeyPem: regKeyPair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKeyBase64Der: regKeyPair.spki.toString('base64'),
    publicKey: regKeyPair.publicKey,
    privateKey: regKeyPair.privateKey,
  };

  // Lazily created material for the fault variants (never in the trusted root).
  let foreign: { key: KeyPair; cert: Certificate } | undefined;
  const foreignCa = (): { key: KeyPair; cert: Certificate } => {
    if (!foreign) {
      const key = newKey('P-384');
      // Same names as our CA, so only the keys differ.
      const cert = selfSignedRoot(key, 'test-pki.invalid', 'test-pki-fulcio-intermediate', validFrom, caNotAfter);
      foreign = { key, cert };
    }
    return foreign;
  };
  let rogueCtKey: KeyPair | undefined;
  let rogueLog: TransparencyLog | undefined;
  const rogueRekor = (): TransparencyLog => {
    // Same host and same log id as ours, different key: only the signatures are wrong.
    rogueLog ??= { ...newTransparencyLog(newKey('P-256'), rekor.host), logId: rekor.logId };
    return rogueLog;
  };

  const iso = (d: Date): string => d.toISOString();
  const trustedRoot: TrustedRootJson = {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: [
      {
        baseUrl: TEST_REKOR_URL,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: rekor.key.spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: iso(validFrom) } },
        logId: { keyId: rekor.logId.toString('base64') },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'test-pki.invalid', commonName: 'test-pki-fulcio-root' },
        uri: TEST_FULCIO_URL,
        certChain: { certificates: [{ rawBytes: intermediate.der.toString('base64') }, { rawBytes: root.der.toString('base64') }] },
        validFor: { start: iso(validFrom) },
      },
    ],
    ctlogs: [
      {
        baseUrl: TEST_CTLOG_URL,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: ctKey.spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: iso(validFrom) } },
        logId: { keyId: ctLogId.toString('base64') },
      },
    ],
    timestampAuthorities: [],
  };

  function assemble(
    version: BundleVersion,
    material: { certificate: Buffer } | { hint: string },
    envelope: BundleJson['dsseEnvelope'],
    entry: TlogEntryJson,
  ): BundleJson {
    const verificationMaterial: BundleJson['verificationMaterial'] =
      'hint' in material
        ? { publicKey: { hint: material.hint }, tlogEntries: [entry] }
        : version === '0.2'
          ? { x509CertificateChain: { certificates: [{ rawBytes: material.certificate.toString('base64') }] }, tlogEntries: [entry] }
          : { certificate: { rawBytes: material.certificate.toString('base64') }, tlogEntries: [entry] };
    verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [] };
    return {
      mediaType: version === '0.2' ? BUNDLE_V02_MEDIA_TYPE : BUNDLE_V03_MEDIA_TYPE,
      verificationMaterial,
      dsseEnvelope: envelope,
    };
  }

  const pki: TestPki = {
    now,
    trustedRoot,
    registryKey,
    caCertificatesPem: { root: toPem('CERTIFICATE', root.der), intermediate: toPem('CERTIFICATE', intermediate.der) },

    registryKeysDocument({ expires = null } = {}) {
      return {
        keys: [
          {
            expires,
            keyid: registryKey.keyid,
            keytype: 'ecdsa-sha2-nistp256',
            scheme: 'ecdsa-sha2-nistp256',
            key: registryKey.publicKeyBase64Der,
          },
        ],
      };
    },

    registryKeysTufDocument({ start = iso(validFrom), end } = {}) {
      const publicKey = {
        rawBytes: registryKey.publicKeyBase64Der,
        keyDetails: 'PKIX_ECDSA_P256_SHA_256',
        validFor: end === undefined ? { start } : { start, end },
      };
      return {
        keys: [
          { keyId: registryKey.keyid, keyUsage: 'npm:signatures', publicKey },
          { keyId: registryKey.keyid, keyUsage: 'npm:attestations', publicKey },
        ],
      };
    },

    signRegistry(name, version, integrity) {
      const sig = cryptoSign('sha256', Buffer.from(`${name}@${version}:${integrity}`, 'utf8'), registryKey.privateKey);
      return { keyid: registryKey.keyid, sig: sig.toString('base64') };
    },

    provenanceBundle(o) {
      const faults = o.faults ?? {};
      const issuedAt = new Date(Math.floor((o.issuedAt ?? now).getTime() / 1000) * 1000);
      const sourceRepo = (o.sourceRepo ?? `https://github.com/test-org/${o.name.replace(/^@[^/]+\//, '')}`).replace(/\/+$/, '');
      const ref = o.ref ?? 'refs/heads/main';
      const workflow = o.workflow ?? '.github/workflows/release.yml';
      const commit = o.commit ?? randomBytes(20).toString('hex');
      const slsa = o.slsa ?? 'v1';
      const bundleVersion = o.bundleVersion ?? '0.3';
      const tlogKind = o.tlogKind ?? (bundleVersion === '0.2' ? 'intoto' : 'dsse');
      const oidcIssuer = o.oidcIssuer ?? GITHUB_OIDC_ISSUER;
      const runId = randomDigits(10);
      const repoId = randomDigits(9);
      const ownerId = randomDigits(8);
      const eventName = ref.startsWith('refs/tags/') ? 'release' : 'push';

      const statement = provenanceStatement({ name: o.name, version: o.version, integrity: o.integrity, sourceRepo, ref, workflow, commit, slsa, runId, repoId, ownerId });
      const finalStatement = o.transformStatement ? o.transformStatement(statement) ?? statement : statement;

      const leafKey = newKey('P-256');
      const ca = faults.foreignCa ? { cert: foreignCa().cert, key: foreignCa().key } : { cert: intermediate, key: intermediateKey };
      let sct: { key: KeyPair; logId: Buffer } | undefined = { key: ctKey, logId: ctLogId };
      if (faults.noSct) sct = undefined;
      if (faults.untrustedSct) sct = { key: (rogueCtKey ??= newKey('P-256')), logId: ctLogId };
      const certificate = leafCertificate({
        leafKey,
        issuer: ca.cert,
        issuerKey: ca.key,
        notBefore: issuedAt,
        notAfter: new Date(issuedAt.getTime() + 10 * 60 * 1000),
        identity: {
          san: o.subjectAlternativeName ?? `${sourceRepo}/${workflow}@${ref}`,
          oidcIssuer,
          claims: githubClaims({ sourceRepo, ref, workflow, commit, oidcIssuer, runId, repoId, ownerId, eventName }),
        },
        sct,
      });

      const signingKey = faults.wrongSigningKey ? newKey('P-256').privateKey : leafKey.privateKey;
      const envelope = signEnvelope(finalStatement, signingKey, '');
      const integratedTime = toSeconds(issuedAt) + (faults.signedAfterCertExpiry ? 11 * 60 : 2);
      const log = faults.untrustedTlog ? rogueRekor() : rekor;
      const entry = appendToLog(
        log,
        rekorBody(tlogKind, envelope, toPem('CERTIFICATE', certificate)),
        integratedTime,
        tlogKind,
        tlogKind === 'dsse' ? '0.0.1' : '0.0.2',
        o.inclusionProof ?? true,
      );
      return assemble(bundleVersion, { certificate }, envelope, entry);
    },

    publishAttestationBundle(o) {
      const faults = o.faults ?? {};
      const issuedAt = new Date(Math.floor((o.issuedAt ?? now).getTime() / 1000) * 1000);
      const bundleVersion = o.bundleVersion ?? '0.2';
      const tlogKind = o.tlogKind ?? (bundleVersion === '0.2' ? 'intoto' : 'dsse');
      const statement = publishStatement(o.name, o.version, o.integrity);
      const finalStatement = o.transformStatement ? o.transformStatement(statement) ?? statement : statement;
      const signingKey = faults.wrongSigningKey ? newKey('P-256').privateKey : registryKey.privateKey;
      const envelope = signEnvelope(finalStatement, signingKey, registryKey.keyid);
      const log = faults.untrustedTlog ? rogueRekor() : rekor;
      const entry = appendToLog(
        log,
        rekorBody(tlogKind, envelope, registryKey.publicKeyPem),
        toSeconds(issuedAt) + 4,
        tlogKind,
        tlogKind === 'dsse' ? '0.0.1' : '0.0.2',
        o.inclusionProof ?? true,
      );
      return assemble(bundleVersion, { hint: registryKey.keyid }, envelope, entry);
    },

    attestationsDocument(bundles) {
      return {
        attestations: bundles.map((bundle) => ({ predicateType: statementOf(bundle).predicateType, bundle })),
      };
    },
  };
  return pki;
}

/** A provenance bundle whose leaf certificate is issued by a CA that is NOT in `pki.trustedRoot`. */
export function foreignCaBundle(pki: TestPki, opts: ProvenanceOptions): BundleJson {
  return pki.provenanceBundle({ ...opts, faults: { ...opts.faults, foreignCa: true } });
}

/** Decode the in-toto statement of a bundle. */
export function statementOf(bundle: BundleJson): InTotoStatement {
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as InTotoStatement;
}

// ---------------------------------------------------------------------------------------------
// Tampering helpers: each returns a modified deep copy
// ---------------------------------------------------------------------------------------------

const clone = (b: BundleJson): BundleJson => structuredClone(b);

function flipBase64Byte(b64: string, index?: number): string {
  const bytes = Buffer.from(b64, 'base64');
  const i = index ?? bytes.length - 1;
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

function firstEntry(b: BundleJson): TlogEntryJson {
  const e = b.verificationMaterial.tlogEntries[0];
  if (!e) throw new Error('test-pki: bundle has no tlog entry');
  return e;
}

export const tamper = {
  /** Flip a bit in the last byte of the DSSE signature (which is then also != the logged one). */
  flipSignatureByte(bundle: BundleJson): BundleJson {
    const b = clone(bundle);
    const s = b.dsseEnvelope.signatures[0];
    if (s) s.sig = flipBase64Byte(s.sig);
    return b;
  },
  /** Edit the signed in-toto statement without re-signing. */
  editPayload(bundle: BundleJson, mutate: (statement: InTotoStatement) => InTotoStatement | void): BundleJson {
    const b = clone(bundle);
    const st = statementOf(b);
    const next = mutate(st) ?? st;
    b.dsseEnvelope.payload = Buffer.from(JSON.stringify(next), 'utf8').toString('base64');
    return b;
  },
  /** Change the subject digest (the classic "someone swapped the tarball"). */
  changeSubjectDigest(bundle: BundleJson, sha512Hex = createHash('sha512').update('evil').digest('hex')): BundleJson {
    return tamper.editPayload(bundle, (st) => {
      const s = st.subject[0];
      if (s) s.digest = { sha512: sha512Hex };
    });
  },
  /** Drop all transparency-log entries. */
  removeTlogEntry(bundle: BundleJson): BundleJson {
    const b = clone(bundle);
    b.verificationMaterial.tlogEntries = [];
    return b;
  },
  /** Corrupt the signed entry timestamp (inclusion promise) signature. */
  corruptSet(bundle: BundleJson): BundleJson {
    const b = clone(bundle);
    const e = firstEntry(b);
    if (e.inclusionPromise) e.inclusionPromise.signedEntryTimestamp = flipBase64Byte(e.inclusionPromise.signedEntryTimestamp);
    return b;
  },
  /** Remove the inclusion promise (SET): the entry then provides no verified timestamp. */
  removeInclusionPromise(bundle: BundleJson): BundleJson {
    const b = clone(bundle);
    delete firstEntry(b).inclusionPromise;
    return b;
  },
  /** Remove the inclusion proof (bundle v0.2/v0.3 require one; v0.1 semantics rely on the SET only). */
  removeInclusionProof(bundle: BundleJson): BundleJson {
    const b = clone(bundle);
    delete firstEntry(b).inclusionProof;
    return b;
  },
  /** Corrupt one Merkle audit-path hash (or the root hash when the path is empty). */
  corruptInclusionProof(bundle: BundleJson): BundleJson {
    const b = clone(bundle);
    const p = firstEntry(b).inclusionProof;
    if (p) {
      if (p.hashes.length > 0) p.hashes[0] = flipBase64Byte(p.hashes[0] ?? '');
      else p.rootHash = flipBase64Byte(p.rootHash);
    }
    return b;
  },
  /** Corrupt the checkpoint (signed note) signature. */
  corruptCheckpointSignature(bundle: BundleJson): BundleJson {
    const b = clone(bundle);
    const p = firstEntry(b).inclusionProof;
    if (p) {
      p.checkpoint.envelope = p.checkpoint.envelope.replace(/(\u2014 \S+ )(\S+)\n/, (_m, head: string, sig: string) => `${head}${flipBase64Byte(sig)}\n`);
    }
    return b;
  },
  /** Shift integratedTime (covered by the SET), e.g. to pretend a different signing time. */
  shiftIntegratedTime(bundle: BundleJson, seconds: number): BundleJson {
    const b = clone(bundle);
    const e = firstEntry(b);
    e.integratedTime = String(Number(e.integratedTime) + seconds);
    return b;
  },
  /** Replace the signing certificate with the one from another bundle. */
  swapCertificate(bundle: BundleJson, donor: BundleJson): BundleJson {
    const b = clone(bundle);
    const raw = donor.verificationMaterial.certificate?.rawBytes ?? donor.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes;
    if (!raw) throw new Error('test-pki: donor bundle has no certificate');
    if (b.verificationMaterial.certificate) b.verificationMaterial.certificate.rawBytes = raw;
    else if (b.verificationMaterial.x509CertificateChain) b.verificationMaterial.x509CertificateChain.certificates = [{ rawBytes: raw }];
    return b;
  },
  /** Change the public-key hint (e.g. to a keyid the registry does not publish). */
  setKeyHint(bundle: BundleJson, hint: string): BundleJson {
    const b = clone(bundle);
    if (b.verificationMaterial.publicKey) b.verificationMaterial.publicKey.hint = hint;
    return b;
  },
};

// ---------------------------------------------------------------------------------------------
// TLS: a private CA and a server certificate for a loopback address (a registry behind `cafile`)

export interface TlsServerPki {
  /** The CA certificate a client trusts (what an .npmrc `cafile` holds). */
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A self-signed CA and, signed by it, a server certificate for `ip` (an IP address SAN). */
export function tlsServerPki(ip = '127.0.0.1'): TlsServerPki {
  const now = Date.now();
  const notBefore = new Date(now - 3_600_000);
  const notAfter = new Date(now + 86_400_000);
  const caKey = newKey();
  const ca = selfSignedRoot(caKey, 'ai-chain-audit tests', 'test registry CA', notBefore, notAfter);
  const leafKey = newKey();
  const address = Buffer.from(ip.split('.').map(Number));
  const tbs = tbsCertificate({
    serial: serialNumber(),
    issuer: ca.subject,
    subject: name('ai-chain-audit tests', ip),
    notBefore,
    notAfter,
    spki: leafKey.spki,
    signer: caKey,
    extensions: [
      extension(OID.keyUsage, true, der.bitString(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.extKeyUsage, false, der.seq(der.oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, der.seq(der.ctx(7, false, address))),
      extension(OID.authorityKeyId, false, der.seq(der.ctx(0, false, ca.keyId))),
    ],
  });
  return {
    caPem: toPem('CERTIFICATE', ca.der),
    certPem: toPem('CERTIFICATE', signCertificate(tbs, caKey)),
    keyPem: leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
