import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { isSafeRelativePath } from './select.js';

/** The base side of a diff, written out as a project folder the existing readers can audit. */
export interface BaseSide {
  /** Private folder (mode 0700) holding the base's manifests, lockfile and the files the AI analysis reads. */
  dir: string;
  /** What the base is, for the report: `main` or the lockfile given. */
  ref: string;
  /** The commit the ref resolved to; null for `--base-lockfile`. */
  commit: string | null;
  notices: string[];
  cleanup(): Promise<void>;
}

/** Creates the private folder; `fill` writes into it, and the folder is removed again if that fails. */
export async function withPrivateFolder(fill: (write: (path: string, content: Buffer | string) => Promise<void>) => Promise<void>): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ai-chain-audit-base-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const write = async (path: string, content: Buffer | string): Promise<void> => {
    const target = resolve(dir, path);
    // paths come from a git tree or a folder listing: never outside the folder
    if (!isSafeRelativePath(path) || !target.startsWith(dir + sep)) throw new Error(`refusing to write ${JSON.stringify(path)}`);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await writeFile(target, content, { mode: 0o600, flag: 'wx' });
  };
  try {
    await fill(write);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dir, cleanup };
}
