import { type CacheAuth, readSealed, writeSealed } from '../util/cache-auth.js';
import { redactUrl } from '../util/redact-url.js';

const FORMAT = 'ai-chain-audit/signing-registries/1';

/**
 * Registries seen publishing signing keys, remembered in an authenticated cache file: a registry
 * that signed before and now answers without keys (404, empty list) is stripping signatures, or
 * is not the registry it claims to be. The file only ever adds suspicion: forging it can make a
 * run fail, never pass.
 */
export class SigningRegistries {
  private changed = false;

  private constructor(
    private readonly file: string | null,
    private readonly auth: CacheAuth | null,
    private readonly known: Set<string>,
  ) {}

  static async open(file: string | null, auth: CacheAuth | null): Promise<SigningRegistries> {
    const known = new Set<string>();
    const payload = await readSealed(file, FORMAT, auth);
    try {
      const parsed = payload ? (JSON.parse(payload) as unknown) : null;
      if (Array.isArray(parsed)) for (const entry of parsed) if (typeof entry === 'string') known.add(entry);
    } catch {
      // unreadable: nothing remembered
    }
    return new SigningRegistries(file, auth, known);
  }

  has(registry: string): boolean {
    return this.known.has(redactUrl(registry));
  }

  remember(registry: string): void {
    const key = redactUrl(registry);
    if (this.known.has(key)) return;
    this.known.add(key);
    this.changed = true;
  }

  async save(): Promise<void> {
    if (this.changed) await writeSealed(this.file, FORMAT, JSON.stringify([...this.known].sort()), this.auth);
  }
}
