import type { LockedPackage } from '../inventory/model.js';
import type { PackageFacts, RegistryKey } from '../registry/facts/model.js';
import type { JsonFetcher } from './fetch-json.js';
import { parseKeysDocument, signedVersionOf, verifyRegistrySignatures, type VerifiedSignatures } from './signatures.js';

export type SignaturePrecheck = (pkg: LockedPackage, facts: PackageFacts) => void;

/**
 * Checks each package's registry signatures as its facts arrive, while a cold run's main thread
 * mostly waits for the registry, so the provenance stage finds the ECDSA work done (it ran after
 * the last document, with the whole run waiting on it). Nothing here is a verdict: results are
 * discarded, and the provenance stage judges every signature itself, with the keys it fetched.
 * Packages whose registry's keys have not arrived yet are checked when they do. Signatures an
 * earlier run verified (`verified`, the provenance stage's cache of them) are not checked again.
 */
export function signaturePrecheck(fetchJson: JsonFetcher, registryFor: (name: string) => string, now: Date, verified: Promise<VerifiedSignatures | undefined> = Promise.resolve(undefined)): SignaturePrecheck {
  const keysOf = new Map<string, RegistryKey[] | null>();
  const waiting = new Map<string, Array<[LockedPackage, PackageFacts]>>();
  let earlier: VerifiedSignatures | undefined;
  const check = (pkg: LockedPackage, facts: PackageFacts, keys: RegistryKey[] | null) => {
    if (!keys || keys.length === 0 || facts.status !== 'ok' || !facts.locked) return;
    verifyRegistrySignatures(signedVersionOf(pkg, facts.locked), keys, now, earlier);
  };
  return (pkg, facts) => {
    const registry = registryFor(pkg.name);
    if (keysOf.has(registry)) return check(pkg, facts, keysOf.get(registry) ?? null);
    let queue = waiting.get(registry);
    if (queue) return void queue.push([pkg, facts]);
    waiting.set(registry, (queue = [[pkg, facts]]));
    const keysDocument = fetchJson(`${registry}-/npm/v1/keys`).then((doc) => (doc === null ? null : parseKeysDocument(doc)), () => null);
    Promise.all([keysDocument, verified.then((cache) => (earlier = cache), () => undefined)])
      .then(([keys]) => {
        keysOf.set(registry, keys);
        waiting.delete(registry);
        for (const [queuedPkg, queuedFacts] of queue) check(queuedPkg, queuedFacts, keys);
      })
      .catch(() => undefined);
  };
}
