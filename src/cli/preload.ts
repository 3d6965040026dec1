import { existsSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { factsCachePath } from '../registry/facts/cache-path.js';
import { preloadDocumentWorker } from '../registry/facts/document-worker-thread.js';

const NO_DOCUMENTS = new Set(['--offline', '-h', '--help', '-v', '--version']);

/**
 * Run by the executable before the rest of the command line loads: when these arguments ask for
 * an audit that will fetch most registry documents (no facts cache yet) and a second core is
 * there, the document worker starts loading now, beside the command line's own start-up. Only a
 * guess, made before npm's configuration is read: a wrong one costs an idle worker's start-up on
 * the other core, or the time it would have saved.
 */
export function preloadForArgs(args: readonly string[], env: NodeJS.ProcessEnv): void {
  if (args[0] === 'catalog' || args.some((arg) => NO_DOCUMENTS.has(arg))) return;
  if (availableParallelism() < 2) return;
  const facts = factsCachePath(likelyNpmCache(env));
  // a warm run fetches a handful of documents on the main thread and never starts the worker
  if (facts && existsSync(facts)) return;
  preloadDocumentWorker();
}

/** npm's `cache` setting as the environment or npm's default gives it (an .npmrc may say otherwise). */
function likelyNpmCache(env: NodeJS.ProcessEnv): string {
  for (const [key, value] of Object.entries(env)) if (key.toLowerCase() === 'npm_config_cache' && value) return value;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'npm-cache');
  return join(homedir(), '.npm');
}
