import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttestationKey, BundleCryptoResult } from './bundle-verify.js';

/** Bump when what a cached result means changes. */
const CACHE_FORMAT = 'ai-chain-audit/verified-bundle/1';

/**
 * Successful verifications on disk so warm runs skip the crypto. The key covers every input of
 * the verdict — the bundle bytes, the trust root, the registry keys and the subject — and only
 * successes are stored, so the cache can never turn an invalid bundle into a valid one.
 */
export class VerifyCache {
  constructor(private readonly dir: string | null) {}

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
    try {
      const entry = JSON.parse(await readFile(this.pathOf(key), 'utf8')) as { format?: unknown; key?: unknown; result?: BundleCryptoResult };
      if (entry.format !== CACHE_FORMAT || entry.key !== key || entry.result?.ok !== true) return null;
      return entry.result;
    } catch {
      return null;
    }
  }

  async set(key: string, result: BundleCryptoResult): Promise<void> {
    if (!this.dir || !result.ok) return;
    try {
      await mkdir(this.dir, { recursive: true });
      const file = this.pathOf(key);
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ format: CACHE_FORMAT, key, result }));
      await rename(temp, file);
    } catch {
      // a cache that cannot be written only costs speed
    }
  }

  private pathOf(key: string): string {
    return join(this.dir ?? '', `${key}.json`);
  }
}

export function keysDigest(keys: AttestationKey[]): string {
  return createHash('sha256').update(JSON.stringify(keys)).digest('hex');
}
