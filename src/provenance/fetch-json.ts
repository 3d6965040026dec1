import { join } from 'node:path';
import { HttpCache } from '../registry/transport/http-cache.js';
import { mayStore } from '../registry/transport/http-freshness.js';
import { RegistryFetchError, type RegistryClient } from '../registry/transport/client.js';
import { errorMessage } from '../model/errors.js';
import { cacheAuthFor } from '../util/cache-auth.js';
import { redactUrl } from '../util/redact-url.js';
import { toolCacheDir } from '../util/tool-cache.js';

/** Fetches a JSON document from a configured registry; resolves null when the registry answers 404. */
export type JsonFetcher = (url: string) => Promise<unknown>;

const KEYS_PATH = '-/npm/v1/keys';
const KEYS_ACCEPT = 'application/json';

/** A registry's signing keys, asked for once per client (see `prefetchSigningKeys`). */
const keysByClient = new WeakMap<RegistryClient, Map<string, Promise<unknown>>>();

/** Signing keys and attestation documents go through the same client as every other registry request. */
export function clientJsonFetcher(client: RegistryClient): JsonFetcher {
  return (url) => (url.endsWith(KEYS_PATH) ? signingKeysDocument(client, url) : fetchJson(client, url));
}

/**
 * Starts fetching the default registry's signing keys at the start of a run, so the answer is
 * there when the signatures are checked after the registry stage instead of being waited for then.
 */
export function prefetchSigningKeys(client: RegistryClient): void {
  signingKeysDocument(client, `${client.config.registry}${KEYS_PATH}`).catch(() => undefined); // reported when the stage asks
}

function signingKeysDocument(client: RegistryClient, url: string): Promise<unknown> {
  let known = keysByClient.get(client);
  if (!known) keysByClient.set(client, (known = new Map()));
  let document = known.get(url);
  if (!document) known.set(url, (document = cachedSigningKeys(client, url)));
  return document;
}

/**
 * The keys document through our own sealed HTTP cache (`<cache>/_ai-chain-audit/registry-keys/`),
 * not npm's: the keys decide every signature verdict, and npm's cache index can be rewritten by
 * whoever can write the cache folder, where a sealed entry someone else wrote is a miss. It also
 * spares a warm run loading npm's HTTP cache stack for one small document. Reused while the
 * registry's `max-age` lasts, then asked for conditionally; offline, any stored copy is used.
 */
async function cachedSigningKeys(client: RegistryClient, url: string): Promise<unknown> {
  const dir = toolCacheDir(client.config.flat.cache);
  const cache = new HttpCache(dir && join(dir, 'registry-keys'), await cacheAuthFor(client.config.cacheKeyFile), 'registry-keys');
  const key = redactUrl(url);
  const cached = await cache.get(key, KEYS_ACCEPT);
  if (cached && (client.offline || HttpCache.isFresh(cached, Date.now()))) return parsedKeys(cached.body, url);
  let fetched;
  try {
    fetched = await client.directBytes(url, KEYS_ACCEPT, cached?.validators ?? {});
  } catch (error) {
    if (error instanceof RegistryFetchError && error.kind === 'not-found') return null;
    throw error;
  }
  if (fetched.status === 304 && cached) {
    await cache.set(key, KEYS_ACCEPT, HttpCache.revalidated(cached, fetched.validators, Date.now())).catch(() => undefined);
    return parsedKeys(cached.body, url);
  }
  const body = fetched.body.toString('utf8');
  const keys = parsedKeys(body, url);
  if (mayStore(fetched.validators)) await cache.set(key, KEYS_ACCEPT, { url: key, contentType: null, validators: fetched.validators, storedAt: Date.now(), body }).catch(() => undefined);
  return keys;
}

function parsedKeys(body: string, url: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new RegistryFetchError('malformed', `malformed JSON from ${url}: ${errorMessage(error)}`, url);
  }
}

async function fetchJson(client: RegistryClient, url: string): Promise<unknown> {
  try {
    return (await client.fetchJson(url)).body;
  } catch (error) {
    if (error instanceof RegistryFetchError && error.kind === 'not-found') return null;
    throw error;
  }
}
