import { readSealed, writeSealed, type CacheAuth } from './cache-auth.js';
import { isRecord } from './is-record.js';

/**
 * A keyed store of results in one sealed JSON file, read once when opened and written once at
 * the end of a run: for results that follow from content-addressed inputs (a tarball's bytes by
 * their integrity), which therefore never go stale. Only a file this user's key sealed, in the
 * expected format, is believed; anything else counts as empty. The caller validates each entry's
 * shape when it reads it: the file is JSON another version of the tool may have written.
 */
export class SealedEntries {
  private changed = false;

  private constructor(
    private readonly file: string | null,
    private readonly label: string,
    private readonly format: string,
    private readonly auth: CacheAuth | null,
    private readonly entries: Record<string, unknown>,
  ) {}

  /** `format` names the layout and meaning of the entries: a file of another format is ignored. */
  static async open(file: string | null, label: string, format: string, auth: CacheAuth | null): Promise<SealedEntries> {
    return new SealedEntries(file, label, format, auth, await readSealedEntries(file, label, format, auth));
  }

  get(key: string): unknown {
    return this.entries[key];
  }

  set(key: string, value: unknown): void {
    this.entries[key] = value;
    this.changed = true;
  }

  /** Writes the file (atomically) when entries were added; the newest `maxEntries` are kept. A failure only costs speed. */
  async save(maxEntries: number): Promise<void> {
    if (!this.file || !this.changed) return;
    const keys = Object.keys(this.entries);
    const entries = Object.fromEntries(keys.slice(Math.max(0, keys.length - maxEntries)).map((key) => [key, this.entries[key]]));
    await writeSealed(this.file, this.label, JSON.stringify({ format: this.format, entries }), this.auth);
  }
}

/**
 * The `entries` of a sealed `{ format, entries }` file (without a prototype, so no key is
 * special); empty when the file is absent, does not verify, is not JSON or is of another format.
 */
export async function readSealedEntries(file: string | null, label: string, format: string, auth: CacheAuth | null): Promise<Record<string, unknown>> {
  let entries: Record<string, unknown> = {};
  try {
    const payload = await readSealed(file, label, auth);
    const parsed = payload === null ? null : (JSON.parse(payload) as unknown);
    if (isRecord(parsed) && parsed.format === format && isRecord(parsed.entries)) entries = parsed.entries;
  } catch {
    // unreadable: start empty
  }
  return Object.assign(Object.create(null) as Record<string, unknown>, entries);
}
