import { createGunzip } from 'node:zlib';
import { inflateWhole, isGzip } from '../util/inflate.js';
import { readTarFiles } from '../util/tar.js';
import { checkIntegrity } from './integrity.js';
import type { PackageFiles, TarballRead } from './model.js';

export interface TarballLimits {
  maxTarballBytes: number;
  /** Bytes of the uncompressed archive read before stopping (a gzip bomb stops here). */
  maxUnpackedBytes: number;
  maxEntryBytes: number;
  /** Text kept across all entries. */
  maxTotalBytes: number;
  maxFiles: number;
}

export const DEFAULT_TARBALL_LIMITS: TarballLimits = {
  maxTarballBytes: 50 * 1024 * 1024,
  maxUnpackedBytes: 200 * 1024 * 1024,
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 60 * 1024 * 1024,
  maxFiles: 5000,
};

const CODE_FILE = /\.(?:[cm]?[jt]s|jsx|tsx)$/;
const TYPES_ONLY = /\.d\.[cm]?ts$/;
const NATIVE_FILE = /\.(?:node|wasm|so|dll|dylib|exe|bin)$|(?:^|\/)prebuilds?\//;

/**
 * Reads a package tarball in memory, never extracted and never run: its `package.json` and its
 * JavaScript/TypeScript files, within bounds. The bytes are checked against the expected integrity
 * first; a mismatch is a failure the caller reports, not a note.
 */
export async function readPackageTarball(data: Buffer, integrity: string | null, limits: TarballLimits = DEFAULT_TARBALL_LIMITS): Promise<TarballRead> {
  const status = checkIntegrity(data, integrity);
  if (status === 'mismatch') return { ok: false, failure: 'integrity-mismatch', message: `tarball bytes do not match the expected integrity ${shortIntegrity(integrity)}` };
  if (data.length > limits.maxTarballBytes) return { ok: false, failure: 'unreadable', message: `tarball is ${data.length} bytes, over the ${limits.maxTarballBytes}-byte bound` };
  try {
    const contents = await readEntries(data, limits);
    // every npm tarball has one; an archive without it is not a package (or not an archive)
    if (!contents.files.has('package.json')) return { ok: false, failure: 'unreadable', message: 'tarball has no package.json' };
    return { ok: true, integrity: status, contents };
  } catch (error) {
    return { ok: false, failure: 'unreadable', message: `tarball could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function readEntries(data: Buffer, limits: TarballLimits): Promise<PackageFiles> {
  const contents: PackageFiles = { files: new Map(), skipped: [], truncated: false };
  const { tar, cut } = await unpacked(data, limits.maxUnpackedBytes);
  contents.truncated = cut;
  let kept = 0;
  let picked = 0;
  const files = readTarFiles(tar, (path, size) => {
    if (NATIVE_FILE.test(path)) contents.skipped.push({ path, reason: 'binary' });
    if (path !== 'package.json' && (!CODE_FILE.test(path) || TYPES_ONLY.test(path))) return false;
    // the manifest says what runs at install and import: read it wherever it sits in the archive
    const overTotal = path !== 'package.json' && (kept + size > limits.maxTotalBytes || picked >= limits.maxFiles);
    const reason = size > limits.maxEntryBytes ? 'too-large' : overTotal ? 'over-total' : null;
    if (reason) {
      contents.skipped.push({ path, reason });
      contents.truncated = true;
      return false;
    }
    kept += size;
    picked++;
    return true;
  });
  for (const file of files) contents.files.set(file.path, file.text);
  return contents;
}

/**
 * The archive inside a gzipped tarball, inflated in one call; past `maxBytes` (a gzip bomb, or a
 * package too large to compare whole) the first `maxBytes` of it, marked as cut.
 */
async function unpacked(data: Buffer, maxBytes: number): Promise<{ tar: Buffer; cut: boolean }> {
  if (!isGzip(data)) return { tar: data, cut: false };
  try {
    return { tar: inflateWhole(data, 'gzip', maxBytes), cut: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
  }
  return { tar: await inflatedPrefix(data, maxBytes), cut: true };
}

function inflatedPrefix(data: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const gunzip = createGunzip();
    const done = () => resolve(Buffer.concat(chunks).subarray(0, maxBytes));
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) {
        gunzip.destroy();
        done();
      }
    });
    gunzip.on('end', done);
    gunzip.on('error', reject);
    gunzip.end(data);
  });
}

function shortIntegrity(integrity: string | null): string {
  return (integrity ?? '').slice(0, 24) + '…';
}
