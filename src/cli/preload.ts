import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
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
  const facts = factsCachePath(likelyNpmCache(args, env));
  // a warm run fetches a handful of documents on the main thread and never starts the worker
  if (facts && existsSync(facts)) return;
  preloadDocumentWorker();
}

/**
 * npm's `cache` setting where npm looks for it, most specific first: the environment, the
 * project's .npmrc (the audited folder, or the working one), the user's .npmrc, else npm's
 * default. The global npmrc and builtin configuration are not read: a guess may be wrong.
 */
function likelyNpmCache(args: readonly string[], env: NodeJS.ProcessEnv): string {
  const home = (process.platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir();
  for (const [key, value] of Object.entries(env)) if (key.toLowerCase() === 'npm_config_cache' && value) return value;
  const project = args[0] && !args[0].startsWith('-') ? resolve(args[0]) : process.cwd();
  const userConfig = Object.entries(env).find(([key, value]) => key.toLowerCase() === 'npm_config_userconfig' && value)?.[1] ?? join(home, '.npmrc');
  for (const npmrc of [join(project, '.npmrc'), userConfig]) {
    const cache = cacheIn(npmrc, env, home);
    if (cache) return cache;
  }
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'npm-cache');
  return join(home, '.npm');
}

/** The `cache=` line of an .npmrc, with `${VAR}` and `~/` expanded and a relative path resolved as npm does (from the working folder). */
function cacheIn(npmrc: string, env: NodeJS.ProcessEnv, home: string): string | null {
  let text: string;
  try {
    text = readFileSync(npmrc, 'utf8');
  } catch {
    return null;
  }
  const line = /^[ \t]*cache[ \t]*=[ \t]*(.*?)[ \t]*$/m.exec(text)?.[1]?.replace(/^(["'])(.*)\1$/, '$2');
  if (!line) return null;
  const expanded = line.replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? '');
  return /^~[\\/]/.test(expanded) ? join(home, expanded.slice(2)) : resolve(expanded);
}
