import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProjectFiles } from '../../src/util/project-files.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aca-walk-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function files(paths: string[]): Promise<void> {
  for (const path of paths) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), '');
  }
}

describe('listProjectFiles', () => {
  it('reads the code the project runs, not installed, generated or test code', async () => {
    await files([
      'src/llm.ts',
      'docker-compose.yml',
      'deploy/k8s.yaml',
      'src/llm.test.ts',
      'src/llm.spec.mjs',
      'test/helpers.ts',
      'tests/docker-compose.yml',
      '__tests__/a.js',
      'fixtures/proxy/docker-compose.yml',
      'node_modules/openai/index.js',
      'dist/index.js',
    ]);
    expect((await listProjectFiles(root)).files).toEqual(['deploy/k8s.yaml', 'docker-compose.yml', 'src/llm.ts']);
  });
});
