import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignatureCache } from '../../src/provenance/signature-cache.js';
import { parseKeysDocument, verifyRegistrySignatures } from '../../src/provenance/signatures.js';
import { digestOf } from '../../src/provenance/trust-root.js';
import { verifyProvenance } from '../../src/provenance/verify-provenance.js';
import { createTestPki, sha512Integrity } from '../helpers/test-pki.js';
import { CacheAuth } from '../../src/util/cache-auth.js';

const FORMAT = 'ai-chain-audit/verified-signatures/1';
// the key SignatureCache.open uses when given none
const auth = CacheAuth.ephemeral();
import { integrityOf, scenario } from './scenario.js';

const pki = createTestPki({ now: new Date('2026-01-01T00:00:00Z') });
const [key] = parseKeysDocument(pki.registryKeysDocument()) ?? [];
if (!key) throw new Error('the test PKI has no registry key');
const keys = [key];
const NOW = new Date('2026-11-23T00:00:00Z');
const integrity = sha512Integrity('x');
// ECDSA signatures are randomised: one signature for every run of a test, as the registry serves one
const good = pki.signRegistry('x', '1.0.0', integrity);
const target = (overrides = {}) => ({ name: 'x', version: '1.0.0', integrity, publishedAt: '2026-01-01T00:00:00Z', signatures: [good], ...overrides });

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aca-signature-cache-'));
  file = join(dir, 'verified-signatures.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function entries(): Promise<string[]> {
  return (JSON.parse(auth.open(FORMAT, await readFile(file, 'utf8')) ?? 'null') as { entries: string[] }).entries;
}

describe('verified registry signatures cache', () => {
  it('records a verified signature, and a later run finds it', async () => {
    const cold = await SignatureCache.open(file);
    expect(verifyRegistrySignatures(target(), keys, NOW, cold).status).toBe('verified');
    await cold.save();
    expect(await entries()).toHaveLength(1);
    const warm = await SignatureCache.open(file);
    const signature = target().signatures[0];
    expect(warm.isVerified(key, `x@1.0.0:${integrity}`, signature?.sig ?? '')).toBe(true);
    expect(verifyRegistrySignatures(target(), keys, NOW, warm).status).toBe('verified');
  });

  it('a recorded success is trusted without the ECDSA work (which is what makes warm runs fast)', async () => {
    const bogus = 'bm90IGEgc2lnbmF0dXJl';
    expect(verifyRegistrySignatures(target({ signatures: [{ keyid: key.keyid, sig: bogus }] }), keys, NOW).status).toBe('invalid');
    const forged = JSON.stringify({ format: FORMAT, entries: [SignatureCache.keyOf(key, `x@1.0.0:${integrity}`, bogus)] });
    await writeFile(file, auth.seal(FORMAT, forged));
    const cache = await SignatureCache.open(file);
    expect(verifyRegistrySignatures(target({ signatures: [{ keyid: key.keyid, sig: bogus }] }), keys, NOW, cache).status).toBe('verified');
  });

  it('a poisoned file (written without the per-user key, or with another key) changes no verdict', async () => {
    const bogus = 'bm90IGEgc2lnbmF0dXJl';
    const forged = JSON.stringify({ format: FORMAT, entries: [SignatureCache.keyOf(key, `x@1.0.0:${integrity}`, bogus)] });
    for (const text of [forged, CacheAuth.fromKey(Buffer.alloc(32, 1)).seal(FORMAT, forged), auth.seal(FORMAT, forged).replace(/\n/, '\n ')]) {
      await writeFile(file, text);
      const cache = await SignatureCache.open(file);
      expect(verifyRegistrySignatures(target({ signatures: [{ keyid: key.keyid, sig: bogus }] }), keys, NOW, cache).status).toBe('invalid');
    }
  });

  it('never records a failure: a bad signature stays invalid on every run', async () => {
    const bad = [
      target({ signatures: [{ keyid: key.keyid, sig: 'bm90IGEgc2lnbmF0dXJl' }] }),
      target({ version: '1.0.1' }),
      target({ integrity: sha512Integrity('y') }),
    ];
    for (let run = 0; run < 2; run++) {
      const cache = await SignatureCache.open(file);
      for (const version of bad) expect(verifyRegistrySignatures(version, keys, NOW, cache).status).toBe('invalid');
      await cache.save();
    }
    await expect(readFile(file, 'utf8')).rejects.toThrow();
  });

  it('keys on every input: another key with the same id, message or signature is checked afresh', async () => {
    const cache = await SignatureCache.open(file);
    expect(verifyRegistrySignatures(target(), keys, NOW, cache).status).toBe('verified');
    await cache.save();
    const warm = await SignatureCache.open(file);
    const other = createTestPki();
    const [otherKey] = parseKeysDocument(other.registryKeysDocument()) ?? [];
    const impostor = { ...key, key: otherKey?.key ?? '' };
    expect(verifyRegistrySignatures(target(), [impostor], NOW, warm).status).toBe('invalid');
    const sig = target().signatures[0]?.sig ?? '';
    expect(warm.isVerified(key, `x@1.0.0:${sha512Integrity('y')}`, sig)).toBe(false);
    expect(warm.isVerified(key, `x@1.0.0:${integrity}`, `${sig.slice(0, -4)}AAA=`)).toBe(false);
  });

  it('key expiry is judged on every run, cached or not', async () => {
    const cache = await SignatureCache.open(file);
    expect(verifyRegistrySignatures(target(), keys, NOW, cache).status).toBe('verified');
    await cache.save();
    const warm = await SignatureCache.open(file);
    const expired = [{ ...key, expires: '2025-06-01T00:00:00Z' }];
    expect(verifyRegistrySignatures(target(), expired, NOW, warm).status).toBe('invalid');
  });

  it('a corrupt, foreign or malformed file counts as empty', async () => {
    for (const text of ['{not json', JSON.stringify({ format: 'other/1', entries: [] }), JSON.stringify({ format: 'ai-chain-audit/verified-signatures/1', entries: 'x' }), JSON.stringify({ format: 'ai-chain-audit/verified-signatures/1', entries: ['short', 5] })]) {
      await writeFile(file, auth.seal(FORMAT, text));
      const cache = await SignatureCache.open(file);
      expect(cache.isVerified(key, `x@1.0.0:${integrity}`, target().signatures[0]?.sig ?? '')).toBe(false);
      expect(verifyRegistrySignatures(target(), keys, NOW, cache).status).toBe('verified');
      await cache.save();
      expect(await entries()).toHaveLength(1);
    }
  });

  it('the provenance stage gives the same verdicts cold and warm, and records only the good signatures', async () => {
    const world = await scenario(pki, [
      { name: 'good-a', versions: [{ version: '1.0.0' }] },
      { name: 'good-b', versions: [{ version: '2.0.0' }] },
      { name: 'forged', versions: [{ version: '1.0.0', signatures: [pki.signRegistry('forged', '1.0.1', integrityOf('forged', '1.0.0'))] }] },
      { name: 'unsigned', versions: [{ version: '1.0.0', signatures: 'none' }] },
    ]);
    try {
      // each run opens the file afresh, as a new process would
      const run = async () => verifyProvenance({ inventory: world.inventory, facts: world.facts, fetchJson: world.fetchJson, registryFor: () => world.registry.url, trustRoot: { trustedRoot: pki.trustedRoot, digest: digestOf(pki.trustedRoot), source: 'file', notices: [] }, now: NOW, cacheDir: null, signatures: await SignatureCache.open(file) });
      const statuses = (result: Awaited<ReturnType<typeof run>>) => Object.fromEntries([...result.packages].map(([id, entry]) => [id, entry.signature.status]));
      const cold = statuses(await run());
      expect(cold).toEqual({ 'good-a@1.0.0': 'verified', 'good-b@2.0.0': 'verified', 'forged@1.0.0': 'invalid', 'unsigned@1.0.0': 'missing' });
      expect(await entries()).toHaveLength(2);
      expect(statuses(await run())).toEqual(cold);
      expect(await entries()).toHaveLength(2);
    } finally {
      await world.close();
    }
  });
});
