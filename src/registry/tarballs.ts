import type { RegistryClient } from './transport/client.js';

export type TarballFetch = (name: string, version: string, integrity: string, maxBytes?: number) => Promise<Buffer>;

/**
 * Tarballs through the registry client for every stage that reads package code (the AI scan,
 * the release diff): a tarball that could not be had is not asked for again in the same run
 * (the original error, with its kind, is given again); one that was had comes from npm's cache.
 */
export function runTarballs(client: RegistryClient): TarballFetch {
  const failed = new Map<string, Promise<Buffer>>();
  return (name, version, integrity, maxBytes) => {
    const key = `${name}@${version} ${integrity}`;
    const known = failed.get(key);
    if (known) return known;
    const fetched = client.fetchTarball(name, version, integrity, maxBytes === undefined ? {} : { maxBytes });
    fetched.catch(() => failed.set(key, fetched));
    return fetched;
  };
}
