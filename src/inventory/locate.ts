import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockfileFormat } from './model.js';

export interface LockfileCandidate {
  file: string;
  path: string;
  format: LockfileFormat | 'bun-binary';
}

/** In the order used when package.json does not name its package manager; the first present one is used. */
const CANDIDATES: Array<{ file: string; format: LockfileCandidate['format'] | 'yarn'; manager: string }> = [
  { file: 'npm-shrinkwrap.json', format: 'npm', manager: 'npm' },
  { file: 'package-lock.json', format: 'npm', manager: 'npm' },
  { file: 'pnpm-lock.yaml', format: 'pnpm', manager: 'pnpm' },
  { file: 'yarn.lock', format: 'yarn', manager: 'yarn' },
  { file: 'bun.lock', format: 'bun', manager: 'bun' },
  { file: 'bun.lockb', format: 'bun-binary', manager: 'bun' },
];

export interface LocatedLockfiles {
  chosen: LockfileCandidate | null;
  ignored: LockfileCandidate[];
  /** Why `chosen` won over the others, when there were others, or a mismatch worth telling. */
  reason: string | null;
}

/**
 * With several lockfiles, the one of the manager package.json names in `packageManager`
 * (corepack's field, e.g. `pnpm@9.12.0`) is the one installs use; otherwise the fixed order.
 */
export async function locateLockfiles(root: string, packageManager: unknown = undefined): Promise<LocatedLockfiles> {
  const present = new Set(await readdir(root));
  const found: Array<LockfileCandidate & { manager: string }> = [];
  for (const candidate of CANDIDATES) {
    if (!present.has(candidate.file)) continue;
    const path = join(root, candidate.file);
    const format = candidate.format === 'yarn' ? await yarnFlavour(path) : candidate.format;
    found.push({ file: candidate.file, path, format, manager: candidate.manager });
  }
  const manager = typeof packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(packageManager)?.[1] : undefined;
  const preferred = manager ? found.filter((candidate) => candidate.manager === manager) : [];
  const ordered = [...preferred, ...found.filter((candidate) => !preferred.includes(candidate))];
  const [first, ...rest] = ordered.map(({ file, path, format }) => ({ file, path, format }));
  let reason: string | null = null;
  if (first && manager && preferred.length > 0 && rest.length > 0) reason = `package.json names ${String(packageManager)} as its packageManager`;
  else if (first && manager && preferred.length === 0) reason = `package.json names ${String(packageManager)} as its packageManager, but there is no ${manager} lockfile`;
  else if (first && rest.length > 0) reason = 'first in the order npm-shrinkwrap.json, package-lock.json, pnpm-lock.yaml, yarn.lock, bun.lock, bun.lockb';
  return { chosen: first ?? null, ignored: rest, reason };
}

/** Yarn berry lockfiles carry a `__metadata` block near the top; classic ones do not. */
async function yarnFlavour(path: string): Promise<LockfileFormat> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return /^__metadata:/m.test(buffer.subarray(0, bytesRead).toString('utf8')) ? 'yarn-berry' : 'yarn-classic';
  } finally {
    await handle.close();
  }
}
