import type { Inventory, LockedPackage } from '../inventory/model.js';
import type { PackageFacts, RegistryFacts, RegistryKey, VersionFacts } from '../registry/facts/model.js';
import type { ReportError } from '../model/report-error.js';
import { errorMessage } from '../model/errors.js';
import { judgeAttestations, parseAttestationsDocument, type AttestationEntry, type AttestationVerdict } from './attestations.js';
import type { AttestationKey, BundleCryptoResult } from './bundle-verify.js';
import type { JsonFetcher } from './fetch-json.js';
import type { PackageProvenance, ProvenanceFacts } from './model.js';
import { SignatureCache } from './signature-cache.js';
import { parseKeysDocument, signedVersionOf, verifyRegistrySignatures, type SignatureResult } from './signatures.js';
import type { TrustRoot } from './trust-root.js';
import { keysDigest, VerifyCache } from './verify-cache.js';
import { redactUrl } from '../util/redact-url.js';
import { CacheAuth } from '../util/cache-auth.js';
import { SigningRegistries } from './signing-registries.js';
import { onRegistryOrigin } from '../registry/transport/origin.js';

export interface ProvenanceInput {
  inventory: Inventory;
  facts: RegistryFacts;
  fetchJson: JsonFetcher;
  /** The registry base URL (trailing slash) a package name is installed from. */
  registryFor(name: string): string;
  trustRoot: TrustRoot;
  now: Date;
  /** Folder for verified-bundle results; null disables the cache. */
  cacheDir: string | null;
  /** Registry signatures verified on earlier runs (SignatureCache, saved after the run); absent: none remembered. */
  signatures?: SignatureCache;
  workers?: number;
  workerScript?: string;
  /** File remembering the registries that published signing keys (SigningRegistries); null or absent: none remembered. */
  signingRegistriesFile?: string | null;
  /** Authenticates the cache files; absent: a key for this process only; null: caches off. */
  cacheAuth?: CacheAuth | null;
  /** npm's default registry (npm's own configuration names it): it always publishes signing keys. */
  defaultRegistry?: string;
}

interface Planned {
  pkg: LockedPackage;
  facts: PackageFacts;
  locked: VersionFacts;
  registry: string;
  integrity: string | null;
  signature: SignatureResult;
  entries: AttestationEntry[] | null;
  /** Set when provenance cannot be judged (fetch failed, no integrity, ...). */
  blocked: { status: 'unknown' | 'invalid'; reason: string } | null;
}

/**
 * The provenance stage: registry signatures and Sigstore attestations for every locked registry
 * package whose facts were obtained. Verification failures become statuses (and, through the
 * checks, findings); things that could not be fetched become errors — never a pass.
 */
export async function verifyProvenance(input: ProvenanceInput): Promise<ProvenanceFacts> {
  const started = performance.now();
  const errors: ReportError[] = [];
  const notices = [...input.trustRoot.notices];
  const signing = await SigningRegistries.open(input.signingRegistriesFile ?? null, input.cacheAuth !== undefined ? input.cacheAuth : CacheAuth.ephemeral());
  const keysByRegistry = await registryKeys(input, errors, signing);
  await signing.save();
  const cacheAuth = input.cacheAuth !== undefined ? input.cacheAuth : CacheAuth.ephemeral();
  const signatures = input.signatures ?? (await SignatureCache.open(null, cacheAuth));
  const planned = await Promise.all(
    input.inventory.packages.map((pkg) => plan(pkg, input, keysByRegistry, signatures, errors)),
  );
  await signatures.save();

  const cache = new VerifyCache(input.cacheDir, cacheAuth);
  const crypto = new Map<string, BundleCryptoResult>();
  const jobs = new Map<string, { bundle: unknown; keys: AttestationKey[] }>();
  let fromCache = 0;
  for (const item of planned) {
    if (!item?.entries || item.blocked) continue;
    const keys = attestationKeys(keysByRegistry.get(item.registry));
    for (const entry of item.entries) {
      const key = cacheKey(entry.bundle, input.trustRoot.digest, keys, item);
      if (crypto.has(key) || jobs.has(key)) continue;
      const cached = await cache.get(key);
      if (cached) {
        crypto.set(key, cached);
        fromCache++;
      } else {
        jobs.set(key, { bundle: entry.bundle, keys });
      }
    }
  }
  let threads = 0;
  if (jobs.size > 0) {
    // Sigstore's verifier is loaded only when a bundle must be verified now, not on warm runs or without attestations
    const { VerifyPool } = await import('./verify-pool.js');
    const pool = new VerifyPool({ trustedRoot: input.trustRoot.trustedRoot, workers: input.workers, workerScript: input.workerScript });
    try {
      const results = await pool.verifyAll([...jobs.values()]);
      await Promise.all(
        [...jobs.keys()].map(async (key, index) => {
          const result = results[index];
          if (!result) return;
          crypto.set(key, result);
          await cache.set(key, result);
        }),
      );
    } finally {
      await pool.close();
      threads = pool.threads;
    }
  }

  const packages = new Map<string, PackageProvenance>();
  for (const item of planned) {
    if (!item) continue;
    const keys = attestationKeys(keysByRegistry.get(item.registry));
    packages.set(item.pkg.id, judge(item, keys, keysByRegistry.get(item.registry) !== null, input.trustRoot.digest, crypto));
  }
  const keyless = [...keysByRegistry].filter(([registry, keys]) => keys === null && !signing.has(registry) && registry !== input.defaultRegistry).map(([registry]) => registry);
  if (keyless.length > 0) {
    notices.push(
      `${keyless.map(redactUrl).join(', ')} publishes no registry signing keys: it may be a mirror or private registry that strips signatures and attestations, so provenance it does not list is reported as unknown, not missing.`,
    );
  }
  for (const pkg of input.inventory.packages) if (!packages.has(pkg.id)) packages.set(pkg.id, unknownFor(pkg, input.facts.packages.get(pkg.id)));
  return {
    packages,
    trustRoot: { source: input.trustRoot.source, digest: input.trustRoot.digest },
    stats: { bundles: jobs.size + fromCache, verifiedFromCache: fromCache, verifiedNow: jobs.size, threads, ms: Math.round(performance.now() - started) },
    errors,
    notices,
  };
}

async function registryKeys(input: ProvenanceInput, errors: ReportError[], signing: SigningRegistries): Promise<Map<string, RegistryKey[] | null>> {
  const registries = new Set<string>();
  for (const pkg of input.inventory.packages) {
    if (input.facts.packages.get(pkg.id)?.status === 'ok') registries.add(input.registryFor(pkg.name));
  }
  const keys = new Map<string, RegistryKey[] | null>();
  await Promise.all(
    [...registries].map(async (registry) => {
      const known = input.facts.keys.get(registry);
      if (known !== undefined) keys.set(registry, known);
      else try {
        const doc = await input.fetchJson(`${registry}-/npm/v1/keys`);
        keys.set(registry, doc === null ? null : parseKeysDocument(doc));
        if (doc !== null && parseKeysDocument(doc) === null) {
          return void errors.push({ scope: 'registry-keys', message: `${redactUrl(registry)}-/npm/v1/keys is not a signing-keys document; registry signatures not checked.` });
        }
      } catch (error) {
        keys.set(registry, null);
        errors.push({ scope: 'registry-keys', message: `Cannot fetch the signing keys of ${redactUrl(registry)}: ${errorMessage(error)}; registry signatures and publish attestations not checked.` });
        return;
      }
      const published = keys.get(registry);
      if (published && published.length > 0) return void signing.remember(registry);
      if (!signing.has(registry) && registry !== input.defaultRegistry) return;
      // a registry known to sign that suddenly publishes no keys is what stripping signatures looks like
      keys.set(registry, null);
      const why = registry === input.defaultRegistry ? "is npm's default registry, which signs every version," : 'published signing keys on an earlier run';
      errors.push({ scope: 'registry-keys', message: `${redactUrl(registry)} ${why} but now publishes none (${published ? 'an empty key list' : 'no keys document'}): registry signatures and publish attestations cannot be checked.` });
    }),
  );
  return keys;
}

async function plan(pkg: LockedPackage, input: ProvenanceInput, keysByRegistry: Map<string, RegistryKey[] | null>, signatures: SignatureCache, errors: ReportError[]): Promise<Planned | null> {
  const facts = input.facts.packages.get(pkg.id);
  const locked = facts?.locked;
  if (!facts || facts.status !== 'ok' || !locked) return null;
  const registry = input.registryFor(pkg.name);
  const keys = keysByRegistry.get(registry) ?? null;
  const target = signedVersionOf(pkg, locked);
  const integrity = target.integrity;
  const signature = verifyRegistrySignatures(target, keys, input.now, signatures);
  const item: Planned = { pkg, facts, locked, registry, integrity, signature, entries: null, blocked: null };
  if (!locked.attestations) return item;
  if (!integrity) {
    item.blocked = { status: 'unknown', reason: 'no sha512 integrity to compare the attestation subject with' };
    return item;
  }
  const url = attestationsUrl(locked.attestations.url, registry);
  if (!url) {
    item.blocked = { status: 'invalid', reason: `the registry lists an attestations URL that leaves its origin (${redactUrl(locked.attestations.url)}); it was not fetched` };
    return item;
  }
  let doc: unknown;
  try {
    doc = await input.fetchJson(url);
  } catch (error) {
    item.blocked = { status: 'unknown', reason: `the attestations could not be fetched: ${errorMessage(error)}` };
    errors.push({ scope: pkg.id, package: { name: pkg.name, version: pkg.version }, message: `Cannot fetch the attestations of ${pkg.id} (${redactUrl(url)}): ${errorMessage(error)}.` });
    return item;
  }
  if (doc === null) {
    item.blocked = { status: 'invalid', reason: `the registry lists attestations for ${pkg.id} but ${redactUrl(url)} does not exist` };
    return item;
  }
  try {
    item.entries = parseAttestationsDocument(doc);
  } catch (error) {
    item.blocked = { status: 'invalid', reason: errorMessage(error) };
  }
  return item;
}

/** As pacote does: the attestations always come from the registry the package is installed from; null when the listed path would leave its origin. */
export function attestationsUrl(listed: string, registry: string): string | null {
  return onRegistryOrigin(listed, registry);
}

function judge(
  item: Planned,
  keys: AttestationKey[],
  registryPublishesKeys: boolean,
  trustRootDigest: string,
  crypto: Map<string, BundleCryptoResult>,
): PackageProvenance {
  const base = {
    id: item.pkg.id,
    name: item.pkg.name,
    version: item.pkg.version,
    signature: item.signature,
    earlierWithProvenance: item.facts.earlier.filter((v) => v.attestations !== null && v.attestations.provenance !== undefined).map((v) => v.version),
    declaredRepository: item.locked.repository,
  };
  if (!item.locked.attestations) {
    // a registry without signing keys that lists no attestations anywhere may simply strip them
    const undeterminable = !registryPublishesKeys && base.earlierWithProvenance.length === 0;
    return {
      ...base,
      provenance: undeterminable ? 'unknown' : 'missing',
      reason: undeterminable
        ? 'the registry publishes no signing keys and lists no attestations for any version; it may strip them'
        : 'the registry lists no attestations for this version',
      problems: [],
      source: null,
      predicateTypes: [],
      publishAttestation: false,
    };
  }
  if (item.blocked) {
    const invalid = item.blocked.status === 'invalid';
    return { ...base, provenance: item.blocked.status, reason: invalid ? null : item.blocked.reason, problems: invalid ? [item.blocked.reason] : [], source: null, predicateTypes: [], publishAttestation: false };
  }
  const entries = item.entries ?? [];
  const results = entries.map((entry) => crypto.get(cacheKey(entry.bundle, trustRootDigest, keys, item)) ?? { ok: false as const, code: 'NOT_VERIFIED', message: 'not verified' });
  const verdict: AttestationVerdict = judgeAttestations(
    { name: item.pkg.name, version: item.pkg.version, integrity: item.integrity ?? '', registryKeyids: keys.map((key) => key.keyid) },
    entries,
    results,
  );
  const listed = item.locked.attestations.provenance?.predicateType;
  if (listed && verdict.status !== 'invalid' && !verdict.predicateTypes.includes(listed)) {
    verdict.problems.push(`the registry lists ${listed} provenance but the attestations document does not hold it`);
    verdict.status = 'invalid';
    verdict.source = null;
  }
  return {
    ...base,
    provenance: verdict.status,
    reason: verdict.status === 'missing' ? 'the attestations hold no SLSA provenance (publish attestation only)' : null,
    problems: verdict.problems,
    source: verdict.source,
    predicateTypes: verdict.predicateTypes,
    publishAttestation: verdict.publishAttestation,
  };
}

function unknownFor(pkg: LockedPackage, facts: PackageFacts | undefined): PackageProvenance {
  const reason = !facts
    ? 'no registry facts'
    : facts.status === 'not-applicable'
      ? `not a registry package (${pkg.source})`
      : `registry facts unavailable (${facts.status}${facts.error ? `: ${facts.error}` : ''})`;
  return {
    id: pkg.id,
    name: pkg.name,
    version: pkg.version,
    signature: { status: 'unknown', keyid: null, integrity: null, reason },
    provenance: 'unknown',
    reason,
    problems: [],
    source: null,
    predicateTypes: [],
    publishAttestation: false,
    earlierWithProvenance: [],
    declaredRepository: null,
  };
}

/** Registry keys as attestation keys (npm uses the same keys for `npm:attestations`). */
function attestationKeys(keys: RegistryKey[] | null | undefined): AttestationKey[] {
  return (keys ?? []).map((key) => ({ keyid: key.keyid, key: key.key, expires: key.expires }));
}

function cacheKey(bundle: unknown, trustRootDigest: string, keys: AttestationKey[], item: Planned): string {
  return VerifyCache.keyOf({ bundle, trustRootDigest, keysDigest: keysDigest(keys), subject: `${item.pkg.name}@${item.pkg.version}:${item.integrity ?? ''}` });
}
