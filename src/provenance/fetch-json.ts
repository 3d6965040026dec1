import { RegistryFetchError, type RegistryClient } from '../registry/transport/client.js';

/** Fetches a JSON document from a configured registry; resolves null when the registry answers 404. */
export type JsonFetcher = (url: string) => Promise<unknown>;

/** Signing keys and attestation documents go through the same client as every other registry request. */
export function clientJsonFetcher(client: RegistryClient): JsonFetcher {
  return async (url) => {
    try {
      return (await client.fetchJson(url)).body;
    } catch (error) {
      if (error instanceof RegistryFetchError && error.kind === 'not-found') return null;
      throw error;
    }
  };
}
