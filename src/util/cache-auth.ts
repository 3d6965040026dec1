import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstat, mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';

const KEY_BYTES = 32;
const MAGIC = 'ai-chain-audit-hmac-sha256:';
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');

/**
 * Cache files are authenticated with HMAC-SHA256 under a per-user key that lives outside the
 * cache folder (the user's config directory), so whoever can write the cache folder — a CI cache
 * restored from another branch, a shared runner, a compromised dependency's postinstall — cannot
 * forge a verdict in it. A file whose tag does not verify is treated as absent: its content is
 * worked out again, never trusted.
 */
export class CacheAuth {
  private constructor(private readonly key: Buffer) {}

  /** A key for this process only: caches work within the run, and nothing a file says is trusted across runs. */
  static ephemeral(): CacheAuth {
    ephemeralAuth ??= new CacheAuth(randomBytes(KEY_BYTES));
    return ephemeralAuth;
  }

  static fromKey(key: Buffer): CacheAuth {
    if (key.length < KEY_BYTES) throw new Error('a cache key needs at least 32 bytes');
    return new CacheAuth(key);
  }

  /** The text of a cache file: the tag over `label` and `payload`, a newline, the payload. */
  seal(label: string, payload: string): string {
    return this.sealBytes(label, Buffer.from(payload, 'utf8')).toString('utf8');
  }

  /**
   * The payload of a sealed file when its tag verifies for `label`; null otherwise. Given the
   * file's bytes, the tag is checked over them as they are and the payload decoded once (a facts
   * cache runs to megabytes: decoding it twice and re-encoding it for the HMAC was a tenth of a
   * warm run).
   */
  open(label: string, sealed: string | Buffer): string | null {
    const bytes = typeof sealed === 'string' ? Buffer.from(sealed, 'utf8') : sealed;
    if (bytes.length < MAGIC_BYTES.length || !bytes.subarray(0, MAGIC_BYTES.length).equals(MAGIC_BYTES)) return null;
    const newline = bytes.indexOf(0x0a, MAGIC_BYTES.length);
    if (newline < 0) return null;
    const given = Buffer.from(bytes.toString('latin1', MAGIC_BYTES.length, newline), 'hex');
    const payload = bytes.subarray(newline + 1);
    const expected = this.tag(label, payload);
    return given.length === expected.length && timingSafeEqual(given, expected) ? payload.toString('utf8') : null;
  }

  /** `seal` for a payload already encoded: the bytes are hashed and written as they are. */
  sealBytes(label: string, payload: Buffer): Buffer {
    return Buffer.concat(this.sealParts(label, [payload]));
  }

  /**
   * The bytes of `sealBytes(label, Buffer.concat(parts))`, in pieces: the header, then the parts
   * themselves. A cache of megabytes is written without being joined into one buffer first (on a
   * cold run, copying the facts cache into fresh memory cost ~50 ms at the end of the run).
   */
  sealParts(label: string, parts: readonly Buffer[]): Buffer[] {
    return [Buffer.from(`${MAGIC}${this.tag(label, parts).toString('hex')}\n`, 'latin1'), ...parts];
  }

  /** The HMAC over the label (length-prefixed) and the payload, given whole or in parts. */
  private tag(label: string, payload: string | Buffer | readonly Buffer[]): Buffer {
    const hmac = createHmac('sha256', this.key).update(`${Buffer.byteLength(label)}:${label}\0`);
    for (const part of typeof payload === 'string' || Buffer.isBuffer(payload) ? [payload] : payload) hmac.update(part);
    return hmac.digest();
  }
}

let ephemeralAuth: CacheAuth | undefined;

/**
 * Where the per-user cache key lives: `$AI_CHAIN_AUDIT_CACHE_KEY` (tests, unusual setups), else
 * `$XDG_CONFIG_HOME/ai-chain-audit/cache-key`, `%APPDATA%\ai-chain-audit\cache-key` on Windows,
 * `~/.config/ai-chain-audit/cache-key`. Null when there is no such directory.
 */
export function cacheKeyFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | null {
  if (env.AI_CHAIN_AUDIT_CACHE_KEY && isAbsolute(env.AI_CHAIN_AUDIT_CACHE_KEY)) return env.AI_CHAIN_AUDIT_CACHE_KEY;
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : null;
  const base = xdg ?? (platform === 'win32' ? (env.APPDATA ?? null) : env.HOME ? join(env.HOME, '.config') : null);
  return base ? join(base, 'ai-chain-audit', 'cache-key') : null;
}

const loaded = new Map<string, Promise<CacheAuth | null>>();

/**
 * The authenticator for a key file, created (0600, in a 0700 folder) on first use. `undefined`
 * means no key file was configured (library use, unit tests): a key for this process only. Null
 * when the key cannot be read or made, or when others could read or replace it: then nothing is
 * read from or written to the caches.
 */
export function cacheAuthFor(keyFile: string | null | undefined): Promise<CacheAuth | null> {
  if (keyFile === undefined) return Promise.resolve(CacheAuth.ephemeral());
  if (keyFile === null) return Promise.resolve(null);
  let auth = loaded.get(keyFile);
  if (!auth) {
    auth = loadOrCreateKey(keyFile).then((key) => (key ? CacheAuth.fromKey(key) : null));
    loaded.set(keyFile, auth);
  }
  return auth;
}

async function loadOrCreateKey(file: string): Promise<Buffer | null> {
  const existing = await readKey(file);
  if (existing !== undefined) return existing;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, randomBytes(KEY_BYTES).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // another run made it first: use theirs
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return null;
  }
  return (await readKey(file)) ?? null;
}

/** The key, undefined when the file does not exist, null when it is not a private regular file. */
async function readKey(file: string): Promise<Buffer | null | undefined> {
  try {
    const info = await lstat(file);
    if (!info.isFile()) return null;
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) return null;
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    return key.length >= KEY_BYTES ? key : null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}

/** Writes a new file (never an existing one) from parts, without joining them. */
async function writeParts(file: string, parts: Buffer[]): Promise<void> {
  const handle = await open(file, 'wx', 0o666);
  try {
    // writev takes at most IOV_MAX buffers per call and may write fewer bytes than given
    for (let at = 0; at < parts.length; ) {
      const batch = parts.slice(at, at + WRITEV_BATCH);
      const { bytesWritten } = await handle.writev(batch);
      at += batch.length;
      const total = batch.reduce((sum, part) => sum + part.length, 0);
      if (bytesWritten < total) {
        const rest = Buffer.concat(batch).subarray(bytesWritten);
        let offset = 0;
        while (offset < rest.length) offset += (await handle.write(rest, offset)).bytesWritten;
      }
    }
  } finally {
    await handle.close();
  }
}

const WRITEV_BATCH = 1024;

/** A sealed cache file's payload; null when absent, unreadable, unauthenticated or when caching is off. */
export async function readSealed(file: string | null, label: string, auth: CacheAuth | null): Promise<string | null> {
  if (!file || !auth) return null;
  try {
    return auth.open(label, await readFile(file));
  } catch {
    return null;
  }
}

/** Writes a sealed cache file atomically (temporary file, then rename); a failure only costs speed. `payload` may come in parts, written as they are. */
export async function writeSealed(file: string | null, label: string, payload: string | Buffer | readonly Buffer[], auth: CacheAuth | null): Promise<void> {
  if (!file || !auth) return;
  try {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const parts = typeof payload === 'string' ? [Buffer.from(payload, 'utf8')] : Buffer.isBuffer(payload) ? [payload] : payload;
    await writeParts(temp, auth.sealParts(label, parts));
    await rename(temp, file);
  } catch {
    // a cache that cannot be written only costs speed
  }
}
