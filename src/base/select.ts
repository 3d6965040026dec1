import { deployFileKind } from '../ai/evidence/deploy.js';
import { isEnvFile } from '../ai/evidence/env.js';
import { isSourceFile } from '../ai/evidence/source.js';
import { isWalkedFile } from '../util/project-files.js';

/** A file of the base side as listed (git tree or folder), path relative to the project root with `/`. */
export interface ListedFile {
  path: string;
  size: number;
}

/** The lockfile names locateLockfiles looks for, at the project root only. */
export const LOCKFILE_NAMES = ['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'] as const;

export const SELECTION_LIMITS = {
  lockfileBytes: 128 * 1024 * 1024,
  manifestBytes: 4 * 1024 * 1024,
  manifests: 10_000,
  /** The AI stage reads no larger file (source and deployment files 1 MB, .env 256 KiB). */
  aiFileBytes: 1_000_000,
  aiFiles: 20_000,
  totalBytes: 512 * 1024 * 1024,
};

export interface Selection {
  files: ListedFile[];
  /** Why some files were left out, for a notice. */
  skipped: string[];
}

/**
 * The files the audit reads from a project: the root's lockfiles, every package.json outside
 * node_modules (the workspaces the lockfile or the root's globs name are among them), and the
 * source, .env and deployment files the AI analysis reads. Nothing else is written out.
 */
export function selectAuditInputs(listed: ListedFile[], options: { lockfiles: boolean } = { lockfiles: true }): Selection {
  const files: ListedFile[] = [];
  const skipped: string[] = [];
  let manifests = 0;
  let aiFiles = 0;
  let total = 0;
  const take = (file: ListedFile, limit: number): void => {
    if (file.size > limit) {
      skipped.push(`${file.path} (${file.size} bytes)`);
      return;
    }
    if (total + file.size > SELECTION_LIMITS.totalBytes) {
      skipped.push(`${file.path} (past the ${SELECTION_LIMITS.totalBytes}-byte total)`);
      return;
    }
    total += file.size;
    files.push(file);
  };
  // lockfiles and manifests first: the inventory needs them, the AI analysis can do without a file
  const ordered = [...listed].sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of ordered) {
    const kind = kindOf(file.path);
    if (kind === 'lockfile') {
      if (options.lockfiles) take(file, SELECTION_LIMITS.lockfileBytes);
    } else if (kind === 'manifest') {
      if (++manifests > SELECTION_LIMITS.manifests) skipped.push(`${file.path} (more than ${SELECTION_LIMITS.manifests} package.json files)`);
      else take(file, SELECTION_LIMITS.manifestBytes);
    } else if (kind === 'ai') {
      // a file the AI stage would skip for its size is left out here too
      if (file.size > SELECTION_LIMITS.aiFileBytes) continue;
      if (++aiFiles > SELECTION_LIMITS.aiFiles) continue;
      take(file, SELECTION_LIMITS.aiFileBytes);
    }
  }
  return { files, skipped };
}

type Kind = 'lockfile' | 'manifest' | 'ai' | null;

/** Whether selectAuditInputs could want this path (sizes aside). */
export function isAuditInput(path: string): boolean {
  return kindOf(path) !== null;
}

function kindOf(path: string): Kind {
  if ((LOCKFILE_NAMES as readonly string[]).includes(path)) return 'lockfile';
  const parts = path.split('/');
  if (parts.includes('node_modules') || parts.includes('.git')) return null;
  if (parts[parts.length - 1] === 'package.json') return 'manifest';
  if (isWalkedFile(path) && (isSourceFile(path) || isEnvFile(path) || deployFileKind(path) !== null)) return 'ai';
  return null;
}

function rank(path: string): number {
  const kind = kindOf(path);
  return kind === 'lockfile' ? 0 : kind === 'manifest' ? 1 : 2;
}

/** A path from a git tree or a folder listing that is safe to recreate under a private folder. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part.toLowerCase() !== '.git');
}
