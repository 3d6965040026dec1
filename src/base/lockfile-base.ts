import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { AuditError, errorMessage } from '../model/errors.js';
import { withPrivateFolder, type BaseSide } from './materialize.js';
import { isAuditInput, LOCKFILE_NAMES, selectAuditInputs, SELECTION_LIMITS, type ListedFile } from './select.js';

const MAX_DEPTH = 16;
const MAX_ENTRIES = 200_000;

/**
 * A base for a tree outside git: the project's current manifests (and the files the AI
 * analysis reads) with `lockfile` as the lockfile, so the diff is the lockfile's.
 */
export async function materializeLockfileBase(projectDir: string, lockfile: string): Promise<BaseSide> {
  const text = await readLockfile(lockfile);
  const name = lockfileNameOf(lockfile, text);
  const { listed, truncated } = await listFolder(projectDir);
  const { files, skipped } = selectAuditInputs(listed, { lockfiles: false });
  const folder = await withPrivateFolder(async (write) => {
    await write(name, text);
    for (const file of files) {
      // a file that went away or grew since it was listed is left out, as the AI stage would
      const content = await readFile(join(projectDir, file.path)).catch(() => null);
      if (content && content.length <= file.size) await write(file.path, content);
    }
  });
  const notices: string[] = [];
  if (truncated) notices.push(`Base: the project has more than ${MAX_ENTRIES} files; some were not read for the base side.`);
  if (skipped.length > 0) notices.push(`Base: ${skipped.length} file(s) were too large to read (first: ${skipped[0]}).`);
  return { ...folder, ref: lockfile, commit: null, notices };
}

async function readLockfile(path: string): Promise<Buffer> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > SELECTION_LIMITS.lockfileBytes) throw new Error(`larger than ${SELECTION_LIMITS.lockfileBytes} bytes`);
    return await readFile(path);
  } catch (error) {
    throw new AuditError('EBASE', `--base-lockfile ${path}: ${errorMessage(error)}.`, { file: path, cause: error });
  }
}

/** The lockfile's own name when it has one; otherwise what its first bytes say it is. */
export function lockfileNameOf(path: string, content: Buffer): string {
  const name = basename(path);
  if ((LOCKFILE_NAMES as readonly string[]).includes(name)) return name;
  const head = content.subarray(0, 64 * 1024);
  if (head.includes(0)) return 'bun.lockb';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(text)) return /"workspaces"\s*:\s*\{\s*""\s*:/.test(text) ? 'bun.lock' : 'package-lock.json';
  if (/^(#[^\n]*\n|\s*\n)*lockfileVersion:/.test(text)) return 'pnpm-lock.yaml';
  if (/^# yarn lockfile v1/m.test(text) || /^__metadata:/m.test(text)) return 'yarn.lock';
  throw new AuditError('EBASE', `--base-lockfile ${path}: cannot tell which package manager wrote it; name it package-lock.json, pnpm-lock.yaml, yarn.lock or bun.lock.`, { file: path });
}

/** The project's files, without node_modules and .git; symlinks are not followed. */
async function listFolder(root: string): Promise<{ listed: ListedFile[]; truncated: boolean }> {
  const listed: ListedFile[] = [];
  let seen = 0;
  let truncated = false;
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) {
        truncated = true;
        return;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git' && depth < MAX_DEPTH) await visit(path, depth + 1);
      } else if (entry.isFile()) {
        const rel = relative(root, path).split(sep).join('/');
        if (!isAuditInput(rel)) continue;
        const info = await lstat(path).catch(() => null);
        if (info?.isFile()) listed.push({ path: rel, size: info.size });
      }
    }
  };
  await visit(root, 0);
  return { listed, truncated };
}
