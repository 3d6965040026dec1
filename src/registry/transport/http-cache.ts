import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readSealed, writeSealed, type CacheAuth } from '../../util/cache-auth.js';
import type { ResponseValidators } from './client.js';
import { freshnessLifetimeMs } from './http-freshness.js';

/** One stored response: facts as the server sent them, never a verdict drawn from them. */
export interface CachedResponse {
  url: string;
  contentType: string | null;
  validators: ResponseValidators;
  /** `Date.now()` when the response was stored or last revalidated. */
  storedAt: number;
  body: string;
}

/**
 * Responses kept on disk by URL (without credentials) and Accept, sealed with the user's cache
 * key: upload times, yanks and signing keys decide findings, so an entry someone else wrote is a
 * miss, like an unreadable one. `kind` names what is kept (it is part of every seal), so one
 * kind's entry never reads as another's.
 */
export class HttpCache {
  constructor(
    private readonly dir: string | null,
    private readonly auth: CacheAuth | null,
    private readonly kind: string,
  ) {}

  /** Whether a stored response may still be used without asking (HTTP freshness). */
  static isFresh(entry: CachedResponse, now: number): boolean {
    const age = now - entry.storedAt;
    return age >= 0 && age < freshnessLifetimeMs(entry.validators);
  }

  /** A stored response a 304 confirmed: the headers the 304 sent replace the stored ones, and its age starts again. */
  static revalidated(entry: CachedResponse, validators: ResponseValidators, now: number): CachedResponse {
    const sent = Object.fromEntries(Object.entries(validators).filter((pair) => pair[1] !== null));
    return { ...entry, validators: { ...entry.validators, ...sent }, storedAt: now };
  }

  async get(url: string, accept: string): Promise<CachedResponse | null> {
    if (!this.dir) return null;
    try {
      const payload = await readSealed(this.pathOf(url, accept), this.labelOf(url, accept), this.auth);
      if (payload === null) return null;
      const entry = JSON.parse(payload) as CachedResponse;
      if (entry.url !== url || typeof entry.body !== 'string' || typeof entry.storedAt !== 'number' || typeof entry.validators !== 'object' || entry.validators === null) return null;
      return entry;
    } catch {
      return null;
    }
  }

  async set(url: string, accept: string, entry: CachedResponse): Promise<void> {
    if (!this.dir) return;
    await writeSealed(this.pathOf(url, accept), this.labelOf(url, accept), JSON.stringify(entry), this.auth);
  }

  private labelOf(url: string, accept: string): string {
    return `${this.kind}\n${accept}\n${url}`;
  }

  private pathOf(url: string, accept: string): string {
    return join(this.dir ?? '', `${createHash('sha256').update(`${accept}\n${url}`).digest('hex')}.json`);
  }
}
