import { describe, expect, it } from 'vitest';
import { BundleVerifier } from '../../src/provenance/bundle-verify.js';
import { toSigstoreBundle, verifyProvenanceObject } from '../../src/python/pep740.js';
import { contentOf, provenanceObject, sha256Hex } from '../helpers/pypi-index.js';
import { createTestPki, tamper } from '../helpers/test-pki.js';

const pki = createTestPki();
const verifier = new BundleVerifier(pki.trustedRoot, []);
const verify = (bundle: unknown) => verifier.verify(bundle);
const FILE = 'litellm-1.90.2-py3-none-any.whl';
const file = { filename: FILE, sha256: `sha256:${sha256Hex(contentOf(FILE))}` };
const spec = { filename: FILE, repository: 'BerriAI/litellm', workflow: 'publish.yml' };

describe('PEP 740 provenance objects', () => {
  it('verifies a publish attestation signed by the Trusted Publisher it names', () => {
    expect(verifyProvenanceObject(provenanceObject(pki, spec), file, verify)).toEqual({
      status: 'verified',
      problems: [],
      publishers: [{ kind: 'GitHub', repository: 'BerriAI/litellm', workflow: 'publish.yml', environment: null }],
      predicateTypes: ['https://docs.pypi.org/attestations/publish/v1'],
    });
  });

  it('rejects an attestation for another file or another digest, though validly signed', () => {
    const other = verifyProvenanceObject(provenanceObject(pki, { ...spec, filename: 'litellm-1.90.1-py3-none-any.whl' }), file, verify);
    expect(other).toMatchObject({ status: 'invalid', problems: [expect.stringContaining('names litellm-1.90.1-py3-none-any.whl, not litellm-1.90.2-py3-none-any.whl')] });
    const digest = verifyProvenanceObject(provenanceObject(pki, { ...spec, sha256: sha256Hex('other bytes') }), file, verify);
    expect(digest).toMatchObject({ status: 'invalid', problems: [expect.stringMatching(/sha256 .* is not the index's/)] });
  });

  it('rejects a workflow other than the Trusted Publisher one, a certificate from another CA and an edited statement', () => {
    expect(verifyProvenanceObject(provenanceObject(pki, { ...spec, claimed: { workflow: 'release.yml' } }), file, verify).problems).toEqual([expect.stringContaining('is not the Trusted Publisher\'s workflow release.yml')]);
    expect(verifyProvenanceObject(provenanceObject(pki, { ...spec, pki: { faults: { foreignCa: true } } }), file, verify).problems).toEqual([expect.stringContaining('Sigstore verification failed')]);
    const edited = provenanceObject(pki, { ...spec, tamper: (bundle) => tamper.editPayload(bundle, (statement) => ({ ...statement, predicate: { evil: true } })) });
    expect(verifyProvenanceObject(edited, file, verify).status).toBe('invalid');
  });

  it('a publisher kind whose identity cannot be checked is unknown, never verified; garbage is invalid', () => {
    expect(verifyProvenanceObject(provenanceObject(pki, { ...spec, claimed: { kind: 'Google' } }), file, verify)).toMatchObject({ status: 'unknown' });
    expect(verifyProvenanceObject({ version: 2 }, file, verify)).toMatchObject({ status: 'invalid' });
    expect(toSigstoreBundle({ version: 1 })).toMatch(/not a PEP 740 attestation object/);
  });
});
