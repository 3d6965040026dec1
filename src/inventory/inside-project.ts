import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { AuditError, type AuditErrorCode } from '../model/errors.js';

/**
 * A manifest or lockfile that resolves outside the project (a symlink the repository commits,
 * pointing at `~/.npmrc` or `/etc/shadow`) is refused by name: its content would otherwise end
 * up in a parse error, a report or a CI log. A file that does not exist is left to the caller.
 */
export async function assertInsideProject(root: string, file: string, shownAs: string, code: AuditErrorCode): Promise<void> {
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  } catch {
    return;
  }
  const inside = relative(realRoot, real);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new AuditError(code, `${shownAs} resolves outside the project (a symbolic link); it was not read.`, { file });
  }
}
