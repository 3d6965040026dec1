import { RegistryFetchError } from '../registry/transport/client.js';
import type { ReportError } from '../model/report-error.js';

/** A package's code was larger than the AI scan may read (compressed or unpacked). */
export class ReadLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadLimitError';
  }
}

/**
 * Why reading a package's code failed, when the failure is itself a security fact: bytes that do
 * not match the locked integrity (tampered, or swapped in transit), or a size past the read
 * limits (a decompression bomb, or code the audit cannot vouch for). Null for the rest (not
 * found, network), which only leaves the AI answers resting on the catalog.
 */
export function readFailureKind(error: unknown): 'integrity' | 'limit' | null {
  if (error instanceof RegistryFetchError) return error.kind === 'integrity' ? 'integrity' : error.kind === 'oversized' ? 'limit' : null;
  if (error instanceof ReadLimitError) return 'limit';
  // zlib's maxOutputLength
  if (error instanceof RangeError && (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return 'limit';
  return null;
}

/** Integrity and size failures are errors of the run (exit 2), never notes: the audit could not read what will be installed. */
export function readFailureError(failure: { name: string; version: string; message: string; failure?: 'integrity' | 'limit' | null }): ReportError | null {
  const pkg = { name: failure.name, version: failure.version };
  const id = `${failure.name}@${failure.version}`;
  if (failure.failure === 'integrity') {
    return { scope: id, package: pkg, message: `The tarball of ${id} does not match the integrity in the lockfile (tampered with or corrupted): ${failure.message}.` };
  }
  if (failure.failure === 'limit') {
    return { scope: id, package: pkg, message: `The tarball of ${id} is over the read limit, so its code could not be checked: ${failure.message}.` };
  }
  return null;
}
