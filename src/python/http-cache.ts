import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Responses kept on disk by URL (without credentials) and Accept; unreadable entries are misses. */
export class HttpCache {
  constructor(private readonly dir: string | null) {}

  async get(url: string, accept: string): Promise<CachedResponse | null> {
    if (!this.dir) return null;
    try {
      const entry = JSON.parse(await readFile(this.pathOf(url, accept), 'utf8')) as CachedResponse;
      if (entry.url !== url || typeof entry.body !== 'string' || typeof entry.storedAt !== 'number' || typeof entry.validators !== 'object' || entry.validators === null) return null;
      return entry;
    } catch {
      return null;
    }
  }

  async set(url: string, accept: string, entry: CachedResponse): Promise<void> {
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(url, accept);
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, path);
  }

  private pathOf(url: string, accept: string): string {
    return join(this.dir ?? '', `${createHash('sha256').update(`${accept}\n${url}`).digest('hex')}.json`);
  }
}
