import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Folders that hold generated, vendored or installed code, or tests and their fixtures: none of
 * it is what the project runs in production, and test doubles would be reported as real gateways.
 */
const SKIPPED_DIRS = new Set([
  'node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.svelte-kit', '.turbo', '.cache',
  '.venv', 'venv', '__pycache__', '.tox', 'vendor', 'bower_components', '.yarn', '.pnpm-store',
  'test', 'tests', '__tests__', '__mocks__', 'fixtures', '__fixtures__', 'testdata', 'e2e',
]);

const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

export interface WalkLimits {
  maxDepth: number;
  maxFiles: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxDepth: 8, maxFiles: 20_000 };

export interface ProjectFiles {
  /** Relative paths with `/` separators, sorted. */
  files: string[];
  /** True when the walk stopped at a limit. */
  truncated: boolean;
  /** Symlinks met (relative paths): never followed, named so a skipped file is not silent. */
  symlinks?: string[];
  /** Folders not entered because they are deeper than `maxDepth` (relative paths). */
  tooDeep?: string[];
}

/** Lists the project's own files once for every collector; symlinks are not followed. */
export async function listProjectFiles(root: string, limits: WalkLimits = DEFAULT_WALK_LIMITS): Promise<ProjectFiles> {
  const files: string[] = [];
  const symlinks: string[] = [];
  const tooDeep: string[] = [];
  let truncated = false;
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (files.length >= limits.maxFiles) {
        truncated = true;
        return;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (depth >= limits.maxDepth) {
          tooDeep.push(relative(root, path).split(sep).join('/'));
          continue;
        }
        await visit(path, depth + 1);
      } else if (entry.isSymbolicLink()) {
        symlinks.push(relative(root, path).split(sep).join('/'));
      } else if (entry.isFile() && !TEST_FILE.test(entry.name)) {
        files.push(relative(root, path).split(sep).join('/'));
      }
    }
  };
  await visit(root, 0);
  return { files, truncated, symlinks, tooDeep };
}

/** Whether listProjectFiles would list this project-relative path (`/` separators). */
export function isWalkedFile(file: string, limits: WalkLimits = DEFAULT_WALK_LIMITS): boolean {
  const parts = file.split('/');
  const name = parts.pop() ?? '';
  return parts.length <= limits.maxDepth && !parts.some((dir) => SKIPPED_DIRS.has(dir)) && !TEST_FILE.test(name);
}

/** Reads a file as UTF-8 when it is a regular file no larger than `maxBytes`; null otherwise. */
export async function readBounded(root: string, file: string, maxBytes: number): Promise<string | null> {
  const path = join(root, file);
  try {
    const stat = await lstat(path);
    if (!stat.isFile() || stat.size > maxBytes) return null;
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
