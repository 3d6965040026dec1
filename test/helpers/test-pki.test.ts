import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, VerificationError, toSignedEntity, toTrustMaterial, type KeyFinderFunc, type Signer } from '@sigstore/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GITHUB_OIDC_ISSUER,
  NPM_PUBLISH_V01,
  SLSA_PROVENANCE_V02,
  SLSA_PROVENANCE_V1,
  createTestPki,
  foreignCaBundle,
  sha512Integrity,
  statementOf,
  tamper,
  type BundleJson,
  type TestPki,
  TEST_REGISTRY_URL,
} from './test-pki.js';

const NAME = '@acme/llm-gateway';
const VERSION = '1.2.3';
const INTEGRITY = sha512Integrity('pretend this is the tarball of @acme/llm-gateway@1.2.3');
const REPO = 'https://github.com/acme/llm-gateway';
const REF = 'refs/tags/v1.2.3';
const WORKFLOW = '.github/workflows/publish.yml';

let pki: TestPki;
let provenance: BundleJson;
let publish: BundleJson;

beforeAll(() => {
  pki = createTestPki();
  provenance = pki.provenanceBundle({ name: NAME, version: VERSION, integrity: INTEGRITY, sourceRepo: REPO, ref: REF, workflow: WORKFLOW });
  publish = pki.publishAttestationBundle({ name: NAME, version: VERSION, integrity: INTEGRITY });
});

/** Same wiring as sigstore's createVerifier(), with our trusted root instead of the TUF one. */
function verifyBundle(bundle: BundleJson, opts: { root?: object; keys?: KeyFinderFunc } = {}): Signer {
  const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(opts.root ?? pki.trustedRoot), opts.keys);
  const verifier = new Verifier(trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1 });
  return verifier.verify(toSignedEntity(bundleFromJSON(bundle)));
}

/** What npm does for publish attestations: the registry key is selected by the bundle's key hint. */
function registryKeyFinder(p: TestPki = pki): KeyFinderFunc {
  return (hint) => {
    if (hint !== p.registryKey.keyid) {
      throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `key not found: ${hint}` });
    }
    return { publicKey: createPublicKey(p.registryKey.publicKeyPem), validFor: () => true };
  };
}

function expectVerificationError(fn: () => unknown, code?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'verification should have failed').toBeInstanceOf(VerificationError);
  if (code) expect((caught as VerificationError).code).toBe(code);
}

describe('test PKI: genuine bundles verify with the real @sigstore/verify', () => {
  it('provenance bundle (v0.3, dsse entry, SET + inclusion proof, SCT) verifies and yields the workflow identity', () => {
    expect(provenance.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    const entry = provenance.verificationMaterial.tlogEntries[0];
    expect(entry?.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    expect(entry?.inclusionPromise).toBeDefined();
    expect(entry?.inclusionProof?.checkpoint.envelope).toContain('\u2014 rekor.test-pki.invalid ');

    const signer = verifyBundle(provenance);
    expect(signer.identity?.subjectAlternativeName).toBe(`${REPO}/${WORKFLOW}@${REF}`);
    expect(signer.identity?.extensions?.issuer).toBe(GITHUB_OIDC_ISSUER);
    const oids = new Map(signer.identity?.oids?.map((o) => [o.oid?.id.join('.'), o.value]) ?? []);
    expect(oids.get('1.3.6.1.4.1.57264.1.1')?.toString()).toBe(GITHUB_OIDC_ISSUER);
    expect(oids.get('1.3.6.1.4.1.57264.1.6')?.toString()).toBe(REF);

    // identity policy, as `sigstore verify --certificate-identity-uri ... --certificate-oidc-issuer ...`
    const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(pki.trustedRoot));
    const verifier = new Verifier(trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1 });
    const entity = toSignedEntity(bundleFromJSON(provenance));
    expect(() => verifier.verify(entity, { subjectAlternativeName: `${REPO}/${WORKFLOW}@${REF}`, extensions: { issuer: GITHUB_OIDC_ISSUER } })).not.toThrow();
    expect(() => verifier.verify(entity, { subjectAlternativeName: 'https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main' })).toThrow();
  });

  it('statement has the npm subject and a GitHub Actions SLSA v1 predicate', () => {
    const st = statementOf(provenance);
    expect(st._type).toBe('https://in-toto.io/Statement/v1');
    expect(st.predicateType).toBe(SLSA_PROVENANCE_V1);
    expect(st.subject).toEqual([
      { name: 'pkg:npm/%40acme/llm-gateway@1.2.3', digest: { sha512: Buffer.from(INTEGRITY.slice(7), 'base64').toString('hex') } },
    ]);
    const predicate = st.predicate as { buildDefinition: { externalParameters: { workflow: unknown } }; runDetails: { builder: { id: string } } };
    expect(predicate.buildDefinition.externalParameters.workflow).toEqual({ ref: REF, repository: REPO, path: WORKFLOW });
    expect(predicate.runDetails.builder.id).toBe('https://github.com/actions/runner/github-hosted');
  });

  it('SLSA v0.2 provenance in a v0.2 bundle (x509CertificateChain, intoto entry) verifies', () => {
    const b = pki.provenanceBundle({ name: 'tiny-lib', version: '0.0.1', integrity: INTEGRITY, slsa: 'v0.2', bundleVersion: '0.2' });
    expect(b.mediaType).toBe('application/vnd.dev.sigstore.bundle+json;version=0.2');
    expect(b.verificationMaterial.x509CertificateChain?.certificates).toHaveLength(1);
    expect(b.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({ kind: 'intoto', version: '0.0.2' });
    expect(statementOf(b).predicateType).toBe(SLSA_PROVENANCE_V02);
    expect(verifyBundle(b).identity?.subjectAlternativeName).toBe('https://github.com/test-org/tiny-lib/.github/workflows/release.yml@refs/heads/main');
  });

  it('publish attestation verifies with the registry key (public-key bundle)', () => {
    expect(publish.verificationMaterial.publicKey?.hint).toBe(pki.registryKey.keyid);
    expect(publish.dsseEnvelope.signatures[0]?.keyid).toBe(pki.registryKey.keyid);
    expect(statementOf(publish).predicateType).toBe(NPM_PUBLISH_V01);
    expect(statementOf(publish).predicate).toEqual({ name: NAME, version: VERSION, registry: TEST_REGISTRY_URL });
    expect(() => verifyBundle(publish, { keys: registryKeyFinder() })).not.toThrow();
    // as a v0.3 bundle with a dsse entry too
    const v3 = pki.publishAttestationBundle({ name: NAME, version: VERSION, integrity: INTEGRITY, bundleVersion: '0.3' });
    expect(() => verifyBundle(v3, { keys: registryKeyFinder() })).not.toThrow();
  });

  it('publish attestation also verifies with keys given as TrustedRoot-style PublicKey records', () => {
    const keys = { [pki.registryKey.keyid]: { rawBytes: Buffer.from(pki.registryKey.publicKeyBase64Der, 'base64'), keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start: new Date(0) } } };
    const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(pki.trustedRoot), keys);
    expect(() => new Verifier(trustMaterial).verify(toSignedEntity(bundleFromJSON(publish)))).not.toThrow();
  });

  it('attestationsDocument / registryKeysDocument have the npm endpoint shapes', () => {
    const doc = pki.attestationsDocument([publish, provenance]);
    expect(doc.attestations.map((a) => a.predicateType)).toEqual([NPM_PUBLISH_V01, SLSA_PROVENANCE_V1]);
    const keys = pki.registryKeysDocument();
    expect(keys.keys[0]).toMatchObject({ expires: null, keyid: pki.registryKey.keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256' });
    expect(pki.registryKey.keyid).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(pki.registryKeysDocument({ expires: '2020-01-01T00:00:00.000Z' }).keys[0]?.expires).toBe('2020-01-01T00:00:00.000Z');
  });
});

describe('test PKI: tampered / faulty bundles fail with VerificationError', () => {
  const base = { name: NAME, version: VERSION, integrity: INTEGRITY };

  it('signature byte flipped', () => {
    expectVerificationError(() => verifyBundle(tamper.flipSignatureByte(provenance)));
    expectVerificationError(() => verifyBundle(tamper.flipSignatureByte(publish), { keys: registryKeyFinder() }));
  });

  it('payload edited (subject digest changed / subject renamed)', () => {
    expectVerificationError(() => verifyBundle(tamper.changeSubjectDigest(provenance)), 'TLOG_BODY_ERROR');
    expectVerificationError(
      () => verifyBundle(tamper.editPayload(publish, (st) => { st.predicate['version'] = '9.9.9'; }), { keys: registryKeyFinder() }),
      'TLOG_BODY_ERROR',
    );
  });

  it('validly logged but signed with a key other than the certificate / registry key', () => {
    expectVerificationError(() => verifyBundle(pki.provenanceBundle({ ...base, faults: { wrongSigningKey: true } })), 'SIGNATURE_ERROR');
    expectVerificationError(
      () => verifyBundle(pki.publishAttestationBundle({ ...base, faults: { wrongSigningKey: true } }), { keys: registryKeyFinder() }),
      'SIGNATURE_ERROR',
    );
  });

  it('publish attestation checked against another registry key / unknown key hint', () => {
    const other = createTestPki();
    expectVerificationError(() => verifyBundle(publish, { keys: registryKeyFinder(other) }), 'PUBLIC_KEY_ERROR');
    expectVerificationError(() => verifyBundle(tamper.setKeyHint(publish, 'SHA256:unknown'), { keys: registryKeyFinder() }), 'PUBLIC_KEY_ERROR');
  });

  it('tlog entry removed', () => {
    expectVerificationError(() => verifyBundle(tamper.removeTlogEntry(provenance)), 'TIMESTAMP_ERROR');
    expectVerificationError(() => verifyBundle(tamper.removeTlogEntry(publish), { keys: registryKeyFinder() }), 'TIMESTAMP_ERROR');
  });

  it('tlog SET signature wrong / SET removed / integratedTime shifted', () => {
    expectVerificationError(() => verifyBundle(tamper.corruptSet(provenance)), 'TLOG_INCLUSION_PROMISE_ERROR');
    expectVerificationError(() => verifyBundle(tamper.shiftIntegratedTime(provenance, 60)), 'TLOG_INCLUSION_PROMISE_ERROR');
    expectVerificationError(() => verifyBundle(tamper.removeInclusionPromise(provenance)), 'TIMESTAMP_ERROR');
  });

  it('inclusion proof or checkpoint corrupted', () => {
    expectVerificationError(() => verifyBundle(tamper.corruptInclusionProof(provenance)), 'TLOG_INCLUSION_PROOF_ERROR');
    expectVerificationError(() => verifyBundle(tamper.corruptCheckpointSignature(provenance)), 'TLOG_INCLUSION_PROOF_ERROR');
  });

  it('tlog entry signed by a log key that is not in the trusted root', () => {
    expectVerificationError(() => verifyBundle(pki.provenanceBundle({ ...base, faults: { untrustedTlog: true } })), 'TLOG_INCLUSION_PROMISE_ERROR');
  });

  it('certificate from a foreign CA', () => {
    expectVerificationError(() => verifyBundle(foreignCaBundle(pki, base)), 'CERTIFICATE_ERROR');
    // and genuine bundles do not verify against another PKI's trusted root
    expectVerificationError(() => verifyBundle(provenance, { root: createTestPki().trustedRoot }));
  });

  it('SCT missing (ctlogThreshold 1) or signed by an untrusted CT log', () => {
    expectVerificationError(() => verifyBundle(pki.provenanceBundle({ ...base, faults: { noSct: true } })), 'CERTIFICATE_ERROR');
    expectVerificationError(() => verifyBundle(pki.provenanceBundle({ ...base, faults: { untrustedSct: true } })), 'CERTIFICATE_ERROR');
  });

  it('signed after the short-lived certificate expired', () => {
    expectVerificationError(() => verifyBundle(pki.provenanceBundle({ ...base, faults: { signedAfterCertExpiry: true } })), 'CERTIFICATE_ERROR');
  });

  it('certificate swapped for one from another (valid) bundle', () => {
    const other = pki.provenanceBundle({ ...base, sourceRepo: 'https://github.com/evil/fork' });
    expectVerificationError(() => verifyBundle(tamper.swapCertificate(provenance, other)));
  });

  it('transformStatement produces validly signed bundles with arbitrary content', () => {
    const b = pki.provenanceBundle({ ...base, transformStatement: (st) => ({ ...st, subject: [] }) });
    expect(statementOf(b).subject).toEqual([]);
    expect(() => verifyBundle(b)).not.toThrow();
  });
});

describe('test PKI: registry signatures (dist.signatures)', () => {
  it('signRegistry verifies with the registry public key and only for the same name@version:integrity', () => {
    const { keyid, sig } = pki.signRegistry(NAME, VERSION, INTEGRITY);
    expect(keyid).toBe(pki.registryKey.keyid);
    const key = createPublicKey({ key: Buffer.from(pki.registryKeysDocument().keys[0]?.key ?? '', 'base64'), format: 'der', type: 'spki' });
    const sigBytes = Buffer.from(sig, 'base64');
    expect(cryptoVerify('sha256', Buffer.from(`${NAME}@${VERSION}:${INTEGRITY}`), key, sigBytes)).toBe(true);
    expect(cryptoVerify('sha256', Buffer.from(`${NAME}@1.2.4:${INTEGRITY}`), key, sigBytes)).toBe(false);
    expect(cryptoVerify('sha256', Buffer.from(`other@${VERSION}:${INTEGRITY}`), key, sigBytes)).toBe(false);
    expect(cryptoVerify('sha256', Buffer.from(`${NAME}@${VERSION}:${INTEGRITY}`), createTestPki().registryKey.publicKey, sigBytes)).toBe(false);
  });

  it('createTestPki is fast', () => {
    const t0 = performance.now();
    const p = createTestPki({ now: new Date('2024-06-01T12:00:00Z') });
    p.provenanceBundle({ name: 'x', version: '1.0.0', integrity: INTEGRITY });
    // typically 20-50 ms; generous bound so the suite does not flake on a loaded machine
    expect(performance.now() - t0).toBeLessThan(500);
    expect(p.now.toISOString()).toBe('2024-06-01T12:00:00.000Z');
  });
});
