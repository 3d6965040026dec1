import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deployFileKind } from './deploy.js';

const MAX_ENTRIES = 2_000;
const MAX_NAMED = 5;

/**
 * Deployment and Python files the walk did not read: symlinks (never followed: they may point
 * outside the project) and files in folders deeper than the walk goes. Named in a notice so a
 * gateway pinned there is not skipped in silence; looking for them in deep folders is bounded.
 */
export async function skippedDeployFiles(root: string, symlinks: string[], tooDeep: string[]): Promise<string[]> {
  const skipped = symlinks.filter((file) => deployFileKind(file) !== null);
  let budget = MAX_ENTRIES;
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (--budget < 0) return;
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') await visit(path);
      else if ((entry.isFile() || entry.isSymbolicLink()) && deployFileKind(path)) skipped.push(path);
    }
  };
  for (const dir of tooDeep) await visit(dir);
  return skipped.sort();
}

/** The notice for `skippedDeployFiles`; null when nothing was skipped. */
export function skippedDeployNotice(files: string[]): string | null {
  if (files.length === 0) return null;
  const named = files.slice(0, MAX_NAMED).join(', ');
  return `AI analysis: ${files.length} deployment or Python file(s) were not read because they are symlinks or lie deeper than the walk goes: ${named}${files.length > MAX_NAMED ? ', …' : ''}.`;
}
