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

  it("finds npm's cache where an .npmrc moves it (the project's, then the user's; ${VAR} and ~/ expanded), so a warm run there starts no worker", async () => {
    const facts = factsCachePath(join(cache, 'moved-cache')) as string;
    await mkdir(join(facts, '..'), { recursive: true });
    await writeFile(facts, '');
    const project = join(cache, 'project');
    await mkdir(project);
    const userrc = join(cache, 'user-npmrc');
    // the user's .npmrc, with an environment variable
    await writeFile(userrc, 'registry=http://127.0.0.1:9/\ncache = ${ACA_TEST_ROOT}/moved-cache\n');
    preloadForArgs([project], { npm_config_userconfig: userrc, ACA_TEST_ROOT: cache });
    expect(await dropPreloadedWorker()).toBe(false);
    // the project's .npmrc wins over the user's: it names a cache without facts, so the worker starts
    await writeFile(join(project, '.npmrc'), `cache="${join(cache, 'empty-cache')}"\n`);
    preloadForArgs([project], { npm_config_userconfig: userrc, ACA_TEST_ROOT: cache });
    expect(await dropPreloadedWorker()).toBe(true);
    // `~/` is the home folder
    const home = join(cache, 'home');
    await mkdir(home);
    await writeFile(join(project, '.npmrc'), 'cache=~/npm-cache\n');
    const homeFacts = factsCachePath(join(home, 'npm-cache')) as string;
    await mkdir(join(homeFacts, '..'), { recursive: true });
    await writeFile(homeFacts, '');
    preloadForArgs([project], { npm_config_userconfig: userrc, HOME: home, USERPROFILE: home });
    expect(await dropPreloadedWorker()).toBe(false);
  });
});
