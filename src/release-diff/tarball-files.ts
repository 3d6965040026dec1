import { createGunzip } from 'node:zlib';
import type { ReadEntry } from 'tar';
import { loadTar } from '../util/tar.js';
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

function readEntries(data: Buffer, limits: TarballLimits): Promise<PackageFiles> {
  const contents: PackageFiles = { files: new Map(), skipped: [], truncated: false };
  let kept = 0;
  return new Promise((resolve, reject) => {
    const parser = new (loadTar().Parser)({
      strict: false,
      onReadEntry: (entry: ReadEntry) => {
        const path = entry.path.replace(/^[^/]+\//, '');
        const wanted = entry.type === 'File' && (path === 'package.json' || (CODE_FILE.test(path) && !TYPES_ONLY.test(path)));
        if (entry.type === 'File' && NATIVE_FILE.test(path)) contents.skipped.push({ path, reason: 'binary' });
        // the manifest says what runs at install and import: read it wherever it sits in the archive
        const overTotal = path !== 'package.json' && (kept + entry.size > limits.maxTotalBytes || contents.files.size >= limits.maxFiles);
        const reason = !wanted ? null : entry.size > limits.maxEntryBytes ? 'too-large' : overTotal ? 'over-total' : null;
        if (!wanted || reason) {
          if (reason) {
            contents.skipped.push({ path, reason });
            contents.truncated = true;
          }
          entry.resume();
          return;
        }
        kept += entry.size;
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => contents.files.set(path, Buffer.concat(chunks).toString('utf8')));
      },
    });
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(contents);
    };
    parser.on('end', () => finish());
    parser.on('error', (error: Error) => finish(error));
    if (!isGzip(data)) {
      parser.end(data);
      return;
    }
    let unpacked = 0;
    const gunzip = createGunzip();
    gunzip.on('data', (chunk: Buffer) => {
      if (unpacked > limits.maxUnpackedBytes) return;
      unpacked += chunk.length;
      if (unpacked > limits.maxUnpackedBytes) {
        contents.truncated = true;
        gunzip.destroy();
        parser.end();
        return;
      }
      parser.write(chunk);
    });
    gunzip.on('end', () => parser.end());
    gunzip.on('error', (error: Error) => finish(error));
    gunzip.end(data);
  });
}

function isGzip(data: Buffer): boolean {
  return data.length > 2 && data[0] === 0x1f && data[1] === 0x8b;
}

function shortIntegrity(integrity: string | null): string {
  return (integrity ?? '').slice(0, 24) + '…';
}
