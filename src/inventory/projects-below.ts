import { listProjectFiles } from '../util/project-files.js';

const LISTED = 5;

/**
 * Folders up to two levels below `dir` that hold a package.json, for a run pointed at a
 * repository's root whose projects sit below it (`typescript/`, `server/`): named so the message
 * says which folder to audit. Walked as the AI analysis walks a project (installed, generated and
 * test folders skipped, symlinks not followed).
 */
export async function projectsBelow(dir: string): Promise<string[]> {
  const { files } = await listProjectFiles(dir, { maxDepth: 2, maxFiles: 20_000 });
  const folders = files.filter((file) => file.endsWith('/package.json')).map((file) => file.slice(0, -'package.json'.length));
  // the nearest first: `typescript/` before `typescript/fetch/`
  return folders.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** `; projects below it: a/, b/ — audit one of those folders`, or nothing when there are none. */
export function projectsBelowHint(found: readonly string[]): string {
  if (found.length === 0) return '';
  const more = found.length > LISTED ? ` and ${found.length - LISTED} more` : '';
  return `; projects below it: ${found.slice(0, LISTED).join(', ')}${more} — audit one of those folders`;
}
