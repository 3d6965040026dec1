import { join } from 'node:path';
import { toolCacheDir } from '../../util/tool-cache.js';

/** The facts cache's file in our folder of npm's cache (no cache setting: none). Its own module: the executable's first step reads it too. */
export function factsCachePath(npmCache: unknown): string | null {
  const dir = toolCacheDir(npmCache);
  return dir ? join(dir, 'registry-facts.json') : null;
}
