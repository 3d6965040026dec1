import { createPublicKey } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, VerificationError, toSignedEntity, toTrustMaterial, type KeyFinderFunc, type Signer } from '@sigstore/verify';

/** A registry attestation key as `/-/npm/v1/keys` serves it (base64 DER SubjectPublicKeyInfo). */
export interface AttestationKey {
  keyid: string;
  key: string;
  expires: string | null;
}

/** What Sigstore verification established about one bundle; plain data so it crosses worker threads and disk. */
export type BundleSigner =
  | {
      kind: 'certificate';
      subjectAlternativeName: string | null;
      issuer: string | null;
      /** Certificate extensions by dotted OID (Fulcio's 1.3.6.1.4.1.57264.1.x carry the workflow identity). */
      extensions: Record<string, string>;
    }
  | { kind: 'key'; keyid: string };

export type BundleCryptoResult =
  | {
      ok: true;
      signer: BundleSigner;
      /** Seconds since the epoch, from the transparency-log entry. */
      integratedTime: number | null;
    }
  | { ok: false; code: string; message: string };

/**
 * Verifies one bundle the way `sigstore.verify` does (certificate chain to the trusted CA, SCT,
 * transparency-log entry with SET/inclusion proof, DSSE signature), with a trusted root we chose
 * instead of one fetched behind our back. Public-key bundles are checked against the registry's
 * attestation keys, each valid only until its expiry (compared with the log's integrated time).
 */
export class BundleVerifier {
  private readonly verifier: Verifier;

  constructor(trustedRoot: unknown, keys: AttestationKey[]) {
    const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(trustedRoot), keyFinder(keys));
    this.verifier = new Verifier(trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1 });
  }

  verify(bundle: unknown): BundleCryptoResult {
    try {
      const parsed = bundleFromJSON(bundle);
      const signer = this.verifier.verify(toSignedEntity(parsed));
      const entry = parsed.verificationMaterial.tlogEntries[0];
      const integratedTime = entry ? Number(entry.integratedTime) : null;
      const hint = parsed.verificationMaterial.content.$case === 'publicKey' ? parsed.verificationMaterial.content.publicKey.hint : null;
      return { ok: true, signer: hint !== null ? { kind: 'key', keyid: hint } : certificateSigner(signer), integratedTime };
    } catch (error) {
      if (error instanceof VerificationError) return { ok: false, code: error.code, message: error.message };
      return { ok: false, code: 'MALFORMED_BUNDLE', message: error instanceof Error ? error.message : String(error) };
    }
  }
}

const FULCIO_OID_PREFIX = '1.3.6.1.4.1.57264.1.';

function keyFinder(keys: AttestationKey[]): KeyFinderFunc {
  return (hint) => {
    const key = keys.find((candidate) => candidate.keyid === hint);
    if (!key) throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `the registry publishes no attestation key ${hint}` });
    const expires = key.expires ? Date.parse(key.expires) : null;
    return {
      publicKey: createPublicKey({ key: Buffer.from(key.key, 'base64'), format: 'der', type: 'spki' }),
      validFor: (date) => expires === null || date.getTime() < expires,
    };
  };
}

function certificateSigner(signer: Signer): BundleSigner {
  const extensions: Record<string, string> = {};
  for (const pair of signer.identity?.oids ?? []) {
    const oid = pair.oid?.id.join('.');
    if (oid?.startsWith(FULCIO_OID_PREFIX)) extensions[oid] = derString(pair.value);
  }
  return {
    kind: 'certificate',
    subjectAlternativeName: signer.identity?.subjectAlternativeName ?? null,
    issuer: signer.identity?.extensions?.issuer ?? null,
    extensions,
  };
}

/** Fulcio v2 extensions are DER UTF8Strings; the older 1.3.6.1.4.1.57264.1.1-6 ones are raw bytes. */
function derString(value: Uint8Array): string {
  const bytes = Buffer.from(value);
  if (bytes[0] !== 0x0c || bytes.length < 2) return bytes.toString('utf8');
  const first = bytes[1] ?? 0;
  let length = first;
  let offset = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
    offset = 2 + count;
  }
  return offset + length === bytes.length ? bytes.subarray(offset).toString('utf8') : bytes.toString('utf8');
}
