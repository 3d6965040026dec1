import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { RegistryKey, RegistrySignature, VersionFacts } from '../registry/facts/model.js';

export type SignatureStatus = 'verified' | 'invalid' | 'missing' | 'unknown';

export interface SignatureResult {
  status: SignatureStatus;
  keyid: string | null;
  /** The integrity the signature was checked over (the locked sha512 when there is one). */
  integrity: string | null;
  reason: string | null;
}

export interface SignedVersion {
  name: string;
  version: string;
  integrity: string | null;
  publishedAt: string | null;
  signatures: RegistrySignature[];
}

/** What the registry signed for a locked version, checked over the lockfile's sha512 when it has one, else the registry's. */
export function signedVersionOf(pkg: { name: string; version: string; integrity: string | null }, locked: VersionFacts): SignedVersion {
  return { name: pkg.name, version: pkg.version, integrity: sha512Of(pkg.integrity) ?? sha512Of(locked.integrity), publishedAt: locked.publishedAt, signatures: locked.signatures };
}

/** Signatures already verified on an earlier run (SignatureCache): only successes are ever recorded. */
export interface VerifiedSignatures {
  isVerified(key: RegistryKey, message: string, signature: string): boolean;
  verified(key: RegistryKey, message: string, signature: string): void;
}

const SUPPORTED_KEY = 'ecdsa-sha2-nistp256';

/** Body of `/-/npm/v1/keys` → keys; null when it is not that document. */
export function parseKeysDocument(doc: unknown): RegistryKey[] | null {
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { keys?: unknown }).keys)) return null;
  const keys: RegistryKey[] = [];
  for (const entry of (doc as { keys: unknown[] }).keys) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { keyid, keytype, scheme, key, expires } = entry as Record<string, unknown>;
    if (typeof keyid !== 'string' || typeof key !== 'string') continue;
    keys.push({
      keyid,
      keytype: typeof keytype === 'string' ? keytype : '',
      scheme: typeof scheme === 'string' ? scheme : '',
      key,
      expires: typeof expires === 'string' ? expires : null,
    });
  }
  return keys;
}

/**
 * npm's rule (`npm audit signatures`, pacote): every signature must name a key the registry
 * publishes, that key must not have expired before the version was published, and the ECDSA
 * P-256 signature must cover `<name>@<version>:<integrity>`.
 */
export function verifyRegistrySignatures(target: SignedVersion, keys: RegistryKey[] | null, now: Date, cache?: VerifiedSignatures): SignatureResult {
  const integrity = target.integrity;
  if (!keys || keys.length === 0) return result('unknown', null, integrity, 'the registry publishes no signing keys');
  if (target.signatures.length === 0) return result('missing', null, integrity, 'the registry publishes signing keys but this version carries no signature');
  if (!integrity) return result('unknown', null, null, 'no sha512 integrity to check the signature against');
  for (const signature of target.signatures) {
    const key = keys.find((candidate) => candidate.keyid === signature.keyid);
    if (!key) return result('invalid', signature.keyid, integrity, `signed with key ${signature.keyid}, which the registry does not publish`);
    const expiry = checkExpiry(key, target.publishedAt, now);
    if (expiry) return result(expiry.status, key.keyid, integrity, expiry.reason);
    if (key.keytype && key.keytype !== SUPPORTED_KEY) return result('unknown', key.keyid, integrity, `unsupported key type ${key.keytype}`);
    const message = `${target.name}@${target.version}:${integrity}`;
    if (cache?.isVerified(key, message, signature.sig)) continue;
    if (!verifies(key, message, signature.sig)) {
      return result('invalid', key.keyid, integrity, `the signature does not cover ${message}`);
    }
    cache?.verified(key, message, signature.sig);
  }
  return result('verified', target.signatures[0]?.keyid ?? null, integrity, null);
}

function checkExpiry(key: RegistryKey, publishedAt: string | null, now: Date): { status: SignatureStatus; reason: string } | null {
  if (!key.expires) return null;
  const expires = Date.parse(key.expires);
  if (Number.isNaN(expires)) return { status: 'unknown', reason: `key ${key.keyid} has an unreadable expiry "${key.expires}"` };
  const published = publishedAt ? Date.parse(publishedAt) : NaN;
  if (Number.isNaN(published)) {
    return expires > now.getTime() ? null : { status: 'unknown', reason: `key ${key.keyid} expired ${key.expires} and the publish time is unknown` };
  }
  return published < expires ? null : { status: 'invalid', reason: `signed with key ${key.keyid}, which expired ${key.expires}, before the version was published (${publishedAt})` };
}

// parsing the DER key once per key, not once per signature (it was most of the cost of verifying a lockfile)
const publicKeys = new Map<string, KeyObject>();

function publicKeyOf(key: RegistryKey): KeyObject {
  let publicKey = publicKeys.get(key.key);
  if (!publicKey) {
    publicKey = createPublicKey({ key: Buffer.from(key.key, 'base64'), format: 'der', type: 'spki' });
    publicKeys.set(key.key, publicKey);
  }
  return publicKey;
}

/**
 * Signatures whose ECDSA check succeeded in this process, by key, message and signature: a
 * success is a fact about those bytes. It lets a check made early (`signaturePrecheck`, while a
 * cold run waits for the registry) spare the provenance stage the same work. Failures are not
 * kept: they are checked again, and a verdict is only ever made by `verifyRegistrySignatures`.
 */
const verifiedNow = new Set<string>();
const MAX_VERIFIED_NOW = 100_000;

/** ECDSA checks this process made (tests tell a check done early from one done twice). */
export const signatureWork = { ecdsaChecks: 0 };

function verifies(key: RegistryKey, message: string, sig: string): boolean {
  const id = `${key.key}\n${message}\n${sig}`;
  if (verifiedNow.has(id)) return true;
  let ok = false;
  signatureWork.ecdsaChecks++;
  try {
    ok = verify('sha256', Buffer.from(message, 'utf8'), publicKeyOf(key), Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
  if (ok) {
    if (verifiedNow.size >= MAX_VERIFIED_NOW) verifiedNow.clear();
    verifiedNow.add(id);
  }
  return ok;
}

function result(status: SignatureStatus, keyid: string | null, integrity: string | null, reason: string | null): SignatureResult {
  return { status, keyid, integrity, reason };
}

/** The sha512 entry of an SRI string (lockfiles may hold several hashes); null when there is none. */
export function sha512Of(integrity: string | null | undefined): string | null {
  if (!integrity) return null;
  return integrity.split(/\s+/).find((entry) => entry.startsWith('sha512-')) ?? null;
}
