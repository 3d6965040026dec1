import { describe, expect, it } from 'vitest';
import { parseKeysDocument, sha512Of, verifyRegistrySignatures } from '../../src/provenance/signatures.js';
import { createTestPki, sha512Integrity } from '../helpers/test-pki.js';

const pki = createTestPki();
const keys = parseKeysDocument(pki.registryKeysDocument()) ?? [];
const integrity = sha512Integrity('x');
const NOW = new Date('2026-11-23T00:00:00Z');
const target = (overrides = {}) => ({ name: 'x', version: '1.0.0', integrity, publishedAt: '2026-01-01T00:00:00Z', signatures: [pki.signRegistry('x', '1.0.0', integrity)], ...overrides });

describe('registry signatures', () => {
  it('parses /-/npm/v1/keys and rejects other documents', () => {
    expect(keys).toHaveLength(1);
    expect(parseKeysDocument({ error: 'nope' })).toBeNull();
    expect(parseKeysDocument({ keys: [{ keyid: 1 }, null, { keyid: 'a', key: 'b' }] })).toEqual([{ keyid: 'a', key: 'b', keytype: '', scheme: '', expires: null }]);
  });

  it('verified / missing / unknown without keys / unknown without integrity', () => {
    expect(verifyRegistrySignatures(target(), keys, NOW).status).toBe('verified');
    expect(verifyRegistrySignatures(target({ signatures: [] }), keys, NOW).status).toBe('missing');
    expect(verifyRegistrySignatures(target(), null, NOW).status).toBe('unknown');
    expect(verifyRegistrySignatures(target({ integrity: null }), keys, NOW).status).toBe('unknown');
  });

  it('every signature must verify: an extra signature by an unknown key, or a garbage one, is invalid', () => {
    const good = pki.signRegistry('x', '1.0.0', integrity);
    expect(verifyRegistrySignatures(target({ signatures: [good, { keyid: 'SHA256:other', sig: good.sig }] }), keys, NOW).status).toBe('invalid');
    expect(verifyRegistrySignatures(target({ signatures: [{ keyid: good.keyid, sig: 'bm90IGEgc2lnbmF0dXJl' }] }), keys, NOW).status).toBe('invalid');
    expect(verifyRegistrySignatures(target({ version: '1.0.1' }), keys, NOW).status).toBe('invalid');
  });

  it('an expired key with an unknown publish time cannot be judged: unknown, not verified', () => {
    const expiring = parseKeysDocument(pki.registryKeysDocument({ expires: '2026-06-01T00:00:00.000Z' })) ?? [];
    expect(verifyRegistrySignatures(target({ publishedAt: null }), expiring, NOW).status).toBe('unknown');
    expect(verifyRegistrySignatures(target({ publishedAt: null }), expiring, new Date('2026-02-01T00:00:00Z')).status).toBe('verified');
  });

  it('sha512Of picks the sha512 entry of a multi-hash SRI string', () => {
    expect(sha512Of(`sha1-abc ${integrity}`)).toBe(integrity);
    expect(sha512Of('sha1-abc')).toBeNull();
  });
});
