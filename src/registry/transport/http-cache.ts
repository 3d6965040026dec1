import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readSealed, writeSealed, type CacheAuth } from '../util/cache-auth.js';
import type { ResponseValidators } from '../registry/transport/client.js';

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
 * key: upload times and yanks decide findings, so an entry someone else wrote is a miss, like an
 * unreadable one.
 */
export class HttpCache {
  constructor(
    private readonly dir: string | null,
    private readonly auth: CacheAuth | null,
  ) {}

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
    return `pypi-response\n${accept}\n${url}`;
  }

  private pathOf(url: string, accept: string): string {
    return join(this.dir ?? '', `${createHash('sha256').update(`${accept}\n${url}`).digest('hex')}.json`);
  }
}
