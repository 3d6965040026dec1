import { RegistryFetchError, type RegistryClient } from '../registry/transport/client.js';

/** Fetches a JSON document from a configured registry; resolves null when the registry answers 404. */
export type JsonFetcher = (url: string) => Promise<unknown>;

const KEYS_PATH = '-/npm/v1/keys';

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
  if (!document) known.set(url, (document = fetchJson(client, url)));
  return document;
}

async function fetchJson(client: RegistryClient, url: string): Promise<unknown> {
  try {
    return (await client.fetchJson(url)).body;
  } catch (error) {
    if (error instanceof RegistryFetchError && error.kind === 'not-found') return null;
    throw error;
  }
}
