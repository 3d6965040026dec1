import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preloadForArgs } from '../../src/cli/preload.js';
import { factsCachePath } from '../../src/registry/facts/cache-path.js';
import { dropPreloadedWorker } from '../../src/registry/facts/document-worker-thread.js';

let cache: string;
beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), 'aca-preload-'));
});
afterEach(async () => {
  await dropPreloadedWorker();
  await rm(cache, { recursive: true, force: true });
});

describe.skipIf(availableParallelism() < 2)('the document worker started by the executable before the command line loads', () => {
  it('starts for an audit that has no facts cache yet (npm cache from the environment, any case)', async () => {
    preloadForArgs(['.', '--json'], { NPM_CONFIG_CACHE: cache });
    expect(await dropPreloadedWorker()).toBe(true);
    preloadForArgs([], { npm_config_cache: cache });
    expect(await dropPreloadedWorker()).toBe(true);
  });

  it('does not start when the facts cache exists (a warm run fetches inline), offline, for help, the version or the catalog', async () => {
    for (const args of [['--offline'], ['.', '--help'], ['-v'], ['catalog', '--json']]) {
      preloadForArgs(args, { npm_config_cache: cache });
      expect(await dropPreloadedWorker(), args.join(' ')).toBe(false);
    }
    const facts = factsCachePath(cache) as string;
    await mkdir(join(facts, '..'), { recursive: true });
    await writeFile(facts, '');
    preloadForArgs(['.'], { npm_config_cache: cache });
    expect(await dropPreloadedWorker()).toBe(false);
  });
});
