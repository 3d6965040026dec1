import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'vendor', 'test', 'tests', 'fixtures']);
const LISTED = 5;

/**
 * Folders up to two levels below `dir` that hold a package.json, for a run pointed at a
 * repository's root whose projects sit below it (`typescript/`, `server/`): named so the message
 * says which folder to audit. Unreadable folders are skipped.
 */
export async function projectsBelow(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (folder: string, rel: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    if (rel && entries.some((entry) => entry.isFile() && entry.name === 'package.json')) found.push(`${rel}/`);
    if (depth === 2) return;
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      await visit(join(folder, entry.name), rel ? `${rel}/${entry.name}` : entry.name, depth + 1);
    }
  };
  await visit(dir, '', 0);
  return found;
}

/** `; projects below it: a/, b/ — audit one of those folders`, or nothing when there are none. */
export function projectsBelowHint(found: readonly string[]): string {
  if (found.length === 0) return '';
  const more = found.length > LISTED ? ` and ${found.length - LISTED} more` : '';
  return `; projects below it: ${found.slice(0, LISTED).join(', ')}${more} — audit one of those folders`;
}
