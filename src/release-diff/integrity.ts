import { createHash, timingSafeEqual } from 'node:crypto';
import type { IntegrityStatus } from './model.js';

const STRENGTH: Record<string, number> = { sha1: 1, sha256: 2, sha384: 3, sha512: 4 };

/**
 * Checks bytes against an SRI string (`sha512-… sha1-…`) with its strongest algorithm, as npm does.
 * No usable hash gives `unchecked`, never `verified`.
 */
export function checkIntegrity(data: Buffer, integrity: string | null | undefined): IntegrityStatus {
  const hashes = (integrity ?? '')
    .split(/\s+/)
    .map((entry) => /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(entry))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ algorithm: match[1] as string, digest: Buffer.from(match[2] as string, 'base64') }));
  if (hashes.length === 0) return 'unchecked';
  const best = Math.max(...hashes.map((hash) => STRENGTH[hash.algorithm] ?? 0));
  const strongest = hashes.filter((hash) => STRENGTH[hash.algorithm] === best);
  const actual = createHash(strongest[0]?.algorithm ?? 'sha512').update(data).digest();
  return strongest.some((hash) => hash.digest.length === actual.length && timingSafeEqual(hash.digest, actual)) ? 'verified' : 'mismatch';
}
