import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

/** For one test file: makes throwaway folders named `prefix…`, each removed after the test that made it. */
export function tempDirs(prefix: string): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** For one test file: makes throwaway project folders holding the files given (paths relative to the folder), each removed after its test. */
export function tempProjects(prefix: string): (files: Record<string, string>) => Promise<string> {
  const tempDir = tempDirs(prefix);
  return async (files) => {
    const root = await tempDir();
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    return root;
  };
}
