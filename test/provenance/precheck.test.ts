import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LockedPackage } from '../../src/inventory/model.js';
import { signaturePrecheck } from '../../src/provenance/precheck.js';
import { SignatureCache } from '../../src/provenance/signature-cache.js';
import { CacheAuth } from '../../src/util/cache-auth.js';
import { signatureWork, verifyRegistrySignatures } from '../../src/provenance/signatures.js';
import type { PackageFacts, RegistryKey } from '../../src/registry/facts/model.js';

const REGISTRY = 'http://127.0.0.1:9/';
const NOW = new Date('2026-03-24T12:00:00.000Z');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const der = publicKey.export({ type: 'spki', format: 'der' });
const KEY: RegistryKey = { keyid: `SHA256:${createHash('sha256').update(der).digest('base64')}`, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: der.toString('base64'), expires: null };

function integrityOf(text: string): string {
  return `sha512-${createHash('sha512').update(text).digest('base64')}`;
}

function signed(name: string, version: string, integrity: string, signedIntegrity = integrity): { pkg: LockedPackage; facts: PackageFacts } {
  const sig = sign('sha256', Buffer.from(`${name}@${version}:${signedIntegrity}`), privateKey).toString('base64');
  const pkg = { id: `${name}@${version}`, name, version, integrity } as LockedPackage;
  const locked = { version, publishedAt: '2026-01-01T00:00:00.000Z', integrity, tarball: null, deprecated: null, installScripts: {}, publisher: null, repository: null, signatures: [{ keyid: KEY.keyid, sig }], attestations: null };
  const facts = { id: pkg.id, name, version, status: 'ok', error: null, locked, previous: null, earlier: [], document: 'abbreviated', modified: null, latest: version } as PackageFacts;
  return { pkg, facts };
}

const verdict = ({ pkg, facts }: ReturnType<typeof signed>) =>
  verifyRegistrySignatures({ name: pkg.name, version: pkg.version, integrity: pkg.integrity, publishedAt: facts.locked?.publishedAt ?? null, signatures: facts.locked?.signatures ?? [] }, [KEY], NOW).status;

describe('signatures checked while the registry stage runs', () => {
  it('spares the provenance stage the ECDSA work of each good signature, once the keys have arrived', async () => {
    let asked = 0;
    const precheck = signaturePrecheck(async () => (asked++, { keys: [KEY] }), () => REGISTRY, NOW);
    const packages = [signed('alpha', '1.0.0', integrityOf('alpha')), signed('beta', '2.0.0', integrityOf('beta'))];
    const before = signatureWork.ecdsaChecks;
    for (const { pkg, facts } of packages) precheck(pkg, facts); // queued until the keys arrive
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signatureWork.ecdsaChecks - before).toBe(2);
    expect(asked).toBe(1);
    expect(packages.map(verdict)).toEqual(['verified', 'verified']);
    expect(signatureWork.ecdsaChecks - before).toBe(2);
  });

  it('never decides a verdict: a bad signature is still invalid, checked again by the stage', async () => {
    const precheck = signaturePrecheck(async () => ({ keys: [KEY] }), () => REGISTRY, NOW);
    const forged = signed('gamma', '1.0.0', integrityOf('gamma'), integrityOf('other bytes'));
    precheck(forged.pkg, forged.facts);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const before = signatureWork.ecdsaChecks;
    expect(verdict(forged)).toBe('invalid');
    expect(signatureWork.ecdsaChecks - before).toBe(1);
  });

  it('skips the signatures an earlier run verified (the provenance stage\'s cache of them), and checks the others', async () => {
    const known = signed('epsilon', '1.0.0', integrityOf('epsilon'));
    const fresh = signed('zeta', '1.0.0', integrityOf('zeta'));
    const file = join(await mkdtemp(join(tmpdir(), 'aca-precheck-')), 'verified-signatures.json');
    const earlierRun = await SignatureCache.open(file, CacheAuth.ephemeral());
    earlierRun.verified(KEY, `epsilon@1.0.0:${integrityOf('epsilon')}`, known.facts.locked?.signatures[0]?.sig ?? '');
    await earlierRun.save();
    const reopened = await SignatureCache.open(file, CacheAuth.ephemeral());
    const precheck = signaturePrecheck(async () => ({ keys: [KEY] }), () => REGISTRY, NOW, Promise.resolve(reopened));
    const before = signatureWork.ecdsaChecks;
    precheck(known.pkg, known.facts);
    precheck(fresh.pkg, fresh.facts);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signatureWork.ecdsaChecks - before).toBe(1);
    await rm(dirname(file), { recursive: true, force: true });
  });

  it('does nothing without keys (a 404 or an unreadable keys document), and the stage judges as before', async () => {
    const precheck = signaturePrecheck(async () => null, () => REGISTRY, NOW);
    const pkg = signed('delta', '1.0.0', integrityOf('delta'));
    const before = signatureWork.ecdsaChecks;
    precheck(pkg.pkg, pkg.facts);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signatureWork.ecdsaChecks - before).toBe(0);
    expect(verdict(pkg)).toBe('verified');
  });
});
