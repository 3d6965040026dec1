import type { Inventory, LockedPackage } from '../inventory/model.js';
import type { PackageFacts, RegistryFacts, RegistryKey, VersionFacts } from '../registry/facts/model.js';
import type { ReportError } from '../model/report-error.js';
import { errorMessage } from '../model/errors.js';
import { judgeAttestations, parseAttestationsDocument, type AttestationEntry, type AttestationVerdict } from './attestations.js';
import type { AttestationKey, BundleCryptoResult } from './bundle-verify.js';
import type { JsonFetcher } from './fetch-json.js';
import type { PackageProvenance, ProvenanceFacts } from './model.js';
import { SignatureCache } from './signature-cache.js';
import { parseKeysDocument, sha512Of, verifyRegistrySignatures, type SignatureResult } from './signatures.js';
import type { TrustRoot } from './trust-root.js';
import { keysDigest, VerifyCache } from './verify-cache.js';

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
  /** File of verified registry signatures (SignatureCache); null or absent disables it. */
  signatureCacheFile?: string | null;
  workers?: number;
  workerScript?: string;
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
  const keysByRegistry = await registryKeys(input, errors);
  const signatures = await SignatureCache.open(input.signatureCacheFile ?? null);
  const planned = await Promise.all(
    input.inventory.packages.map((pkg) => plan(pkg, input, keysByRegistry, signatures, errors)),
  );
  await signatures.save();

  const cache = new VerifyCache(input.cacheDir);
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
  const keyless = [...keysByRegistry].filter(([, keys]) => keys === null).map(([registry]) => registry);
  if (keyless.length > 0) {
    notices.push(
      `${keyless.join(', ')} publishes no registry signing keys: it may be a mirror or private registry that strips signatures and attestations, so provenance it does not list is reported as unknown, not missing.`,
    );
  }
  const unsigned = [...packages.values()].filter((entry) => entry.signature.status === 'missing').map((entry) => entry.id);
  if (unsigned.length > 0) {
    notices.push(`${unsigned.length} package${unsigned.length === 1 ? '' : 's'} carry no registry signature although the registry publishes signing keys: ${unsigned.slice(0, 10).join(', ')}${unsigned.length > 10 ? ', …' : ''}.`);
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

async function registryKeys(input: ProvenanceInput, errors: ReportError[]): Promise<Map<string, RegistryKey[] | null>> {
  const registries = new Set<string>();
  for (const pkg of input.inventory.packages) {
    if (input.facts.packages.get(pkg.id)?.status === 'ok') registries.add(input.registryFor(pkg.name));
  }
  const keys = new Map<string, RegistryKey[] | null>();
  await Promise.all(
    [...registries].map(async (registry) => {
      const known = input.facts.keys.get(registry);
      if (known !== undefined) return void keys.set(registry, known);
      try {
        const doc = await input.fetchJson(`${registry}-/npm/v1/keys`);
        keys.set(registry, doc === null ? null : parseKeysDocument(doc));
        if (doc !== null && parseKeysDocument(doc) === null) {
          errors.push({ scope: 'registry-keys', message: `${registry}-/npm/v1/keys is not a signing-keys document; registry signatures not checked.` });
        }
      } catch (error) {
        keys.set(registry, null);
        errors.push({ scope: 'registry-keys', message: `Cannot fetch the signing keys of ${registry}: ${errorMessage(error)}; registry signatures and publish attestations not checked.` });
      }
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
  const integrity = sha512Of(pkg.integrity) ?? sha512Of(locked.integrity);
  const signature = verifyRegistrySignatures(
    { name: pkg.name, version: pkg.version, integrity, publishedAt: locked.publishedAt, signatures: locked.signatures },
    keys,
    input.now,
    signatures,
  );
  const item: Planned = { pkg, facts, locked, registry, integrity, signature, entries: null, blocked: null };
  if (!locked.attestations) return item;
  if (!integrity) {
    item.blocked = { status: 'unknown', reason: 'no sha512 integrity to compare the attestation subject with' };
    return item;
  }
  const url = attestationsUrl(locked.attestations.url, registry);
  let doc: unknown;
  try {
    doc = await input.fetchJson(url);
  } catch (error) {
    item.blocked = { status: 'unknown', reason: `the attestations could not be fetched: ${errorMessage(error)}` };
    errors.push({ scope: pkg.id, package: { name: pkg.name, version: pkg.version }, message: `Cannot fetch the attestations of ${pkg.id} (${url}): ${errorMessage(error)}.` });
    return item;
  }
  if (doc === null) {
    item.blocked = { status: 'invalid', reason: `the registry lists attestations for ${pkg.id} but ${url} does not exist` };
    return item;
  }
  try {
    item.entries = parseAttestationsDocument(doc);
  } catch (error) {
    item.blocked = { status: 'invalid', reason: errorMessage(error) };
  }
  return item;
}

/** As pacote does: the attestations always come from the registry the package is installed from. */
export function attestationsUrl(listed: string, registry: string): string {
  try {
    return new URL(new URL(listed).pathname, registry).href;
  } catch {
    return new URL(listed, registry).href;
  }
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
