import Config from '@npmcli/config';
import npmDefinitions from '@npmcli/config/lib/definitions/index.js';
import { AuditError, errorMessage } from '../model/errors.js';

const { definitions, flatten, shorthands } = npmDefinitions;

export interface NpmConfig {
  /** The registry npm would use for unscoped packages, with a trailing slash. */
  registry: string;
  /** `@scope` → registry URL, from `@scope:registry` settings. */
  scopedRegistries: Record<string, string>;
  /** npm's built-in default registry; npm rewrites lockfile URLs on it to the configured one. */
  defaultRegistry: string;
  /** npm's flattened options, as npm itself hands them to pacote and npm-registry-fetch. */
  flat: Record<string, unknown>;
  /**
   * Any key as npm reads it, including keys npm does not define (pnpm's settings in `.npmrc`),
   * with the file it came from (or `env`/`cli`); null when no layer sets it.
   */
  lookup(key: string): { value: unknown; source: string } | null;
}

/**
 * Loads npm's configuration for a project exactly as npm would (builtin, global, user and
 * project .npmrc, npm_config_* environment), so registry, scopes, auth, proxy and TLS
 * settings come from the user's setup and never from our code.
 */
export async function loadNpmConfig(projectRoot: string, overrides: { registry?: string } = {}, env = process.env): Promise<NpmConfig> {
  const argv = [process.execPath, 'ai-chain-audit'];
  if (overrides.registry) argv.push('--registry', overrides.registry);
  const config = new Config({
    definitions,
    shorthands,
    flatten,
    npmPath: projectRoot,
    argv,
    cwd: projectRoot,
    env: { ...env },
    execPath: process.execPath,
    platform: process.platform,
    warn: false,
  });
  try {
    await config.load();
  } catch (error) {
    throw new AuditError('ECONFIG', `Cannot load npm configuration: ${errorMessage(error)}.`, { cause: error });
  }
  const flat = { ...config.flat } as Record<string, unknown>;
  const registry = withSlash(String(flat.registry ?? definitions.registry?.default ?? ''));
  if (!/^https?:\/\//.test(registry)) {
    throw new AuditError('ECONFIG', `The configured npm registry "${registry}" is not an http(s) URL.`);
  }
  const scopedRegistries: Record<string, string> = {};
  for (const [key, value] of Object.entries(flat)) {
    const match = /^(@[^:]+):registry$/i.exec(key);
    if (match?.[1] && typeof value === 'string') scopedRegistries[match[1]] = withSlash(value);
  }
  const lookup = (key: string) => {
    const where = config.find(key);
    if (!where || where === 'default') return null;
    return { value: config.get(key), source: config.data.get(where)?.source ?? where };
  };
  return { registry, scopedRegistries, defaultRegistry: withSlash(String(definitions.registry?.default ?? registry)), flat, lookup };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
