import { join } from 'node:path';
import type { Inventory } from '../inventory/model.js';
import type { RegistryClient } from '../registry/transport/client.js';
import type { RegistryFacts } from '../registry/facts/model.js';
import { clientJsonFetcher } from './fetch-json.js';
import type { ProvenanceFacts } from './model.js';
import { SignatureCache } from './signature-cache.js';
import { loadTrustRoot, type TrustRoot } from './trust-root.js';
import { verifyProvenance } from './verify-provenance.js';
import { toolCacheDir } from '../util/tool-cache.js';
import { cacheAuthFor } from '../util/cache-auth.js';

export interface ProvenanceStageOptions {
  /** `--trusted-root`: verify against this TrustedRoot instead of the public-good one. */
  trustedRootFile?: string | null;
  /**
   * Overrides for tests; default: npm's `<cache>/_tuf`, and `<cache>/_ai-chain-audit/verified-bundles` and
   * `…/verified-signatures.json` (beside `_cacache`); a `cacheDir` holds both verification caches, null disables them.
   */
  tufCachePath?: string | null;
  cacheDir?: string | null;
  workers?: number;
  refreshTrustRoot?: (tufCachePath: string) => Promise<unknown>;
  /** The verified-signatures cache, when the caller opened it already (`openSignatureCache`) to share it with `signaturePrecheck`. */
  signatures?: SignatureCache;
}

/** The verified-signatures cache of this client's npm cache (or of `options.cacheDir`). */
export async function openSignatureCache(client: RegistryClient, options: Pick<ProvenanceStageOptions, 'cacheDir'> = {}): Promise<SignatureCache> {
  const file = options.cacheDir !== undefined ? options.cacheDir && join(options.cacheDir, 'verified-signatures.json') : inToolCache(client.config.flat.cache, 'verified-signatures.json');
  return SignatureCache.open(file, await cacheAuthFor(client.config.cacheKeyFile));
}

/** Runs after the registry stage, through the same client; skipped when there are no facts. */
export async function provenanceStage(
  inventory: Inventory,
  facts: RegistryFacts | undefined,
  client: RegistryClient | undefined,
  now: Date,
  options: ProvenanceStageOptions = {},
): Promise<ProvenanceFacts | undefined> {
  if (!facts || !client) return undefined;
  const flat = client.config.flat;
  const npmCache = typeof flat.cache === 'string' ? flat.cache : null;
  const trustRoot = await trustRootFor(facts, client, options, npmCache);
  return verifyProvenance({
    inventory,
    facts,
    fetchJson: clientJsonFetcher(client),
    registryFor: (name) => client.registryFor(name),
    trustRoot,
    now,
    cacheDir: options.cacheDir !== undefined ? options.cacheDir : inToolCache(flat.cache, 'verified-bundles'),
    signatures: options.signatures ?? (await openSignatureCache(client, options)),
    signingRegistriesFile: options.cacheDir !== undefined ? options.cacheDir && join(options.cacheDir, 'signing-registries.json') : inToolCache(flat.cache, 'signing-registries.json'),
    cacheAuth: await cacheAuthFor(client.config.cacheKeyFile),
    defaultRegistry: client.config.defaultRegistry,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
}

async function trustRootFor(facts: RegistryFacts, client: RegistryClient, options: ProvenanceStageOptions, npmCache: string | null): Promise<TrustRoot> {
  const tufCachePath = options.tufCachePath !== undefined ? options.tufCachePath : typeof client.config.flat.tufCache === 'string' ? client.config.flat.tufCache : npmCache && join(npmCache, '_tuf');
  const needed = [...facts.packages.values()].some((entry) => entry.locked?.attestations);
  if (!needed && !options.trustedRootFile) {
    // nothing to verify: do not contact the TUF repository for nothing
    const unused = await loadTrustRoot({ offline: true, tufCachePath: null });
    return { ...unused, notices: [] };
  }
  return loadTrustRoot({
    file: options.trustedRootFile ?? null,
    offline: client.offline,
    tufCachePath,
    ...(options.refreshTrustRoot ? { refresh: options.refreshTrustRoot } : {}),
  });
}

function inToolCache(cacache: unknown, name: string): string | null {
  const dir = toolCacheDir(cacache);
  return dir && join(dir, name);
}
