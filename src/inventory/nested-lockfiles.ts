import type { Importer } from './model.js';

const LOCKFILE_NAMES = new Set(['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb']);
const LISTED = 5;

/**
 * A notice for lockfiles in the project's subfolders that belong to projects of their own (a
 * repository whose server, frontend and collector are installed one by one): the audit reads only
 * the lockfile at its root, so their packages are not audited, and a run at the repository's root
 * must not look like it covered them. Lockfiles inside the root's workspaces are left out: their
 * packages come from the root lockfile.
 */
export function nestedLockfilesNotice(files: readonly string[], importers: readonly Importer[]): string | null {
  const workspaces = importers.map((importer) => importer.path).filter((path) => path !== '.');
  const nested = files.filter((file) => {
    const slash = file.lastIndexOf('/');
    if (slash === -1 || !LOCKFILE_NAMES.has(file.slice(slash + 1))) return false;
    const folder = file.slice(0, slash);
    return !workspaces.some((workspace) => folder === workspace || folder.startsWith(`${workspace}/`));
  });
  if (nested.length === 0) return null;
  const shown = nested.slice(0, LISTED).join(', ');
  const more = nested.length > LISTED ? ` and ${nested.length - LISTED} more` : '';
  return `Not audited: ${nested.length} lockfile(s) in subfolders belong to projects of their own (${shown}${more}); only the lockfile at the project's root is read — audit each of those folders on its own.`;
}
