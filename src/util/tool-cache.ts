import { basename, dirname, join } from 'node:path';

/**
 * Our folder in npm's cache directory: `<cache>/_ai-chain-audit`. npm flattens its `cache`
 * setting to `<cache>/_cacache` (cacache's content store), so our files sit beside that folder,
 * never inside it. Null when there is no cache setting.
 */
export function toolCacheDir(npmCache: unknown): string | null {
  if (typeof npmCache !== 'string' || !npmCache) return null;
  return join(basename(npmCache) === '_cacache' ? dirname(npmCache) : npmCache, '_ai-chain-audit');
}
