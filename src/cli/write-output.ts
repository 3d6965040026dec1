import { randomBytes } from 'node:crypto';
import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AuditError } from '../model/errors.js';

/**
 * Writes a report file without ever following a symlink: the audited repository may commit
 * `ai-chain-audit.json` as a link to a file the CI user can write (a workflow, `~/.bashrc`).
 * A symlinked or non-regular target is refused with a one-line error; otherwise the text goes to
 * a new temporary file beside the target, which is then renamed over it (a rename replaces the
 * directory entry, never what a link points to).
 */
export async function writeOutputFile(file: string, text: string): Promise<void> {
  const existing = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing?.isSymbolicLink()) throw new AuditError('EOUTPUT', `Refusing to write ${file}: it is a symbolic link; remove it or choose another file.`, { file });
  if (existing && !existing.isFile()) throw new AuditError('EOUTPUT', `Refusing to write ${file}: it is not a regular file.`, { file });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx', mode: 0o644 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
