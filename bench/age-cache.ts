// Ages the audit's registry-facts cache, as if the next run happened later: the "10 min later"
// runs. The file is sealed (src/util/cache-auth.ts) under the key in the run's HOME, so it is
// opened and sealed again with that key; a file that does not open is left alone.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheAuthFor, cacheKeyFile } from '../src/util/cache-auth.js';

/** `env` is the audit runs' environment: it decides where the cache key lives. */
export async function ageFactsCache(npmCache: string, env: NodeJS.ProcessEnv, ms: number): Promise<boolean> {
  const file = join(npmCache, '_ai-chain-audit', 'registry-facts.json'); // factsCachePath() in src/registry/facts/cache.ts
  const auth = await cacheAuthFor(cacheKeyFile(env));
  const text = await readFile(file, 'utf8').catch(() => null);
  if (!auth || text === null) return false;
  const payload = text.slice(text.indexOf('\n') + 1);
  const { format } = JSON.parse(payload) as { format: string };
  const opened = auth.open(format, text);
  if (opened === null) return false;
  const cache = JSON.parse(opened) as { entries: Record<string, { storedAt: number }> };
  for (const entry of Object.values(cache.entries)) entry.storedAt -= ms;
  await writeFile(file, auth.seal(format, JSON.stringify(cache)));
  return true;
}
