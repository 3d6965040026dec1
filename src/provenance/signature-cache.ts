import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RegistryKey } from '../registry/facts/model.js';
import type { VerifiedSignatures } from './signatures.js';

/** Bump when what an entry means changes: older files are then ignored. */
const FORMAT = 'ai-chain-audit/verified-signatures/1';
const MAX_ENTRIES = 200_000;
const DIGEST = /^[0-9a-f]{64}$/;

/**
 * Registry signatures whose ECDSA check succeeded, so a warm run skips the crypto: one file of
 * digests, each a sha256 over every input of the check — key id, key bytes, the signed message
 * `name@version:integrity` and the signature. Only successes are recorded, so a cached entry can
 * never turn a bad signature into a good one; a failure is checked again on every run. Key
 * expiry is not part of the cached work: it is judged on every run, against the run's clock.
 */
export class SignatureCache implements VerifiedSignatures {
  private readonly added = new Set<string>();

  private constructor(
    private readonly file: string | null,
    private readonly known: Set<string>,
  ) {}

  /** A missing, unreadable, foreign or older-format file counts as empty. */
  static async open(file: string | null): Promise<SignatureCache> {
    const known = new Set<string>();
    if (file) {
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as { format?: unknown; entries?: unknown };
        if (parsed.format === FORMAT && Array.isArray(parsed.entries)) {
          for (const entry of parsed.entries) if (typeof entry === 'string' && DIGEST.test(entry)) known.add(entry);
        }
      } catch {
        // absent or unreadable: start empty
      }
    }
    return new SignatureCache(file, known);
  }

  static keyOf(key: RegistryKey, message: string, signature: string): string {
    const hash = createHash('sha256').update(FORMAT);
    for (const part of [key.keyid, key.key, message, signature]) hash.update(`\0${Buffer.byteLength(part)}:`).update(part);
    return hash.digest('hex');
  }

  isVerified(key: RegistryKey, message: string, signature: string): boolean {
    if (!this.file) return false;
    const digest = SignatureCache.keyOf(key, message, signature);
    if (!this.known.has(digest)) return false;
    this.added.add(digest);
    return true;
  }

  verified(key: RegistryKey, message: string, signature: string): void {
    if (!this.file) return;
    const digest = SignatureCache.keyOf(key, message, signature);
    if (!this.known.has(digest)) this.added.add(digest);
  }

  /** Writes the file when a new signature was verified, this run's entries first; a write failure only costs speed. */
  async save(): Promise<void> {
    if (!this.file || [...this.added].every((digest) => this.known.has(digest))) return;
    const entries = [...new Set([...this.added, ...this.known])].slice(0, MAX_ENTRIES);
    try {
      await mkdir(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ format: FORMAT, entries }));
      await rename(temp, this.file);
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
}
