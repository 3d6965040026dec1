import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AttestationKey, BundleCryptoResult } from './bundle-verify.js';
import { CacheAuth, readSealed, writeSealed } from '../util/cache-auth.js';

/** Bump when what a cached result means changes. */
const CACHE_FORMAT = 'ai-chain-audit/verified-bundle/1';

/**
 * Successful verifications on disk so warm runs skip the crypto. The key covers every input of
 * the verdict — the bundle bytes, the trust root, the registry keys and the subject — and only
 * successes are stored, so the cache can never turn an invalid bundle into a valid one.
 */
export class VerifyCache {
  /** `auth` authenticates each file (util/cache-auth.ts); an entry whose tag does not verify is verified again. */
  constructor(
    private readonly dir: string | null,
    private readonly auth: CacheAuth | null = CacheAuth.ephemeral(),
  ) {}

  static keyOf(parts: { bundle: unknown; trustRootDigest: string; keysDigest: string; subject: string }): string {
    return createHash('sha256')
      .update(CACHE_FORMAT)
      .update('\0')
      .update(JSON.stringify(parts.bundle))
      .update('\0')
      .update(parts.trustRootDigest)
      .update('\0')
      .update(parts.keysDigest)
      .update('\0')
      .update(parts.subject)
      .digest('hex');
  }

  async get(key: string): Promise<BundleCryptoResult | null> {
    if (!this.dir) return null;
    const payload = await readSealed(this.pathOf(key), `${CACHE_FORMAT}\0${key}`, this.auth);
    if (payload === null) return null;
    try {
      const entry = JSON.parse(payload) as { format?: unknown; key?: unknown; result?: BundleCryptoResult };
      if (entry.format !== CACHE_FORMAT || entry.key !== key || entry.result?.ok !== true) return null;
      return entry.result;
    } catch {
      return null;
    }
  }

  async set(key: string, result: BundleCryptoResult): Promise<void> {
    if (!this.dir || !result.ok) return;
    await writeSealed(this.pathOf(key), `${CACHE_FORMAT}\0${key}`, JSON.stringify({ format: CACHE_FORMAT, key, result }), this.auth);
  }

  private pathOf(key: string): string {
    return join(this.dir ?? '', `${key}.json`);
  }
}

export function keysDigest(keys: AttestationKey[]): string {
  return createHash('sha256').update(JSON.stringify(keys)).digest('hex');
}
