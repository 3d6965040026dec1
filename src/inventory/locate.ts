import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockfileFormat } from './model.js';

export interface LockfileCandidate {
  file: string;
  path: string;
  format: LockfileFormat | 'bun-binary';
}

/** In the order npm and the other managers prefer them; the first present one is used. */
const CANDIDATES: Array<{ file: string; format: LockfileCandidate['format'] | 'yarn' }> = [
  { file: 'npm-shrinkwrap.json', format: 'npm' },
  { file: 'package-lock.json', format: 'npm' },
  { file: 'pnpm-lock.yaml', format: 'pnpm' },
  { file: 'yarn.lock', format: 'yarn' },
  { file: 'bun.lock', format: 'bun' },
  { file: 'bun.lockb', format: 'bun-binary' },
];

export interface LocatedLockfiles {
  chosen: LockfileCandidate | null;
  ignored: LockfileCandidate[];
}

export async function locateLockfiles(root: string): Promise<LocatedLockfiles> {
  const present = new Set(await readdir(root));
  const found: LockfileCandidate[] = [];
  for (const candidate of CANDIDATES) {
    if (!present.has(candidate.file)) continue;
    const path = join(root, candidate.file);
    const format = candidate.format === 'yarn' ? await yarnFlavour(path) : candidate.format;
    found.push({ file: candidate.file, path, format });
  }
  return { chosen: found[0] ?? null, ignored: found.slice(1) };
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
