import { gunzipSync, inflateSync } from 'node:zlib';

export type Compression = 'gzip' | 'deflate';

/** Whether the bytes start with gzip's magic number (a package tarball usually does). */
export function isGzip(data: Buffer): boolean {
  return data.length > 2 && data[0] === 0x1f && data[1] === 0x8b;
}

const MIN_CHUNK = 64 * 1024;
/** Deflate never expands more than about 1032 to 1: a larger size in a trailer is a lie. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * A whole compressed body inflated in one call, at most `maxBytes` of output (zlib throws
 * `ERR_BUFFER_TOO_LARGE` past it). One synchronous call costs a third of the streaming decoder's
 * CPU, which takes a threadpool round trip per chunk.
 */
export function inflateWhole(data: Buffer, compression: Compression, maxBytes: number): Buffer {
  const options = { maxOutputLength: maxBytes, chunkSize: outputChunkSize(data, compression, maxBytes) };
  return compression === 'gzip' ? gunzipSync(data, options) : inflateSync(data, options);
}

/**
 * The output chunk for inflating `data` at once: gzip records the decoded size in its last four
 * bytes, and one chunk of that size spares the copy of joining many 16 KB ones. The trailer is
 * only a hint (untrusted): it is held to what the compressed size and the output bound allow.
 */
function outputChunkSize(data: Buffer, compression: Compression, maxBytes: number): number {
  if (compression !== 'gzip' || data.length < 18) return MIN_CHUNK;
  const declared = data.readUInt32LE(data.length - 4);
  return Math.max(MIN_CHUNK, Math.min(declared + 1, data.length * MAX_DEFLATE_RATIO, maxBytes + 1));
}
