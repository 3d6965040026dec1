import type { Inventory, LockedPackage } from '../../src/inventory/model.js';
import type { PackageFacts, RegistryFacts, VersionFacts } from '../../src/registry/facts/model.js';
import type { JsonFetcher } from '../../src/provenance/fetch-json.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { attestationsUrl } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { sha512Integrity, type BundleJson, type TestPki } from '../helpers/test-pki.js';

/** One version as the registry serves it, with its attestations document (if any). */
export interface VersionSetup {
  version: string;
  publishedAt?: string;
  /** What the registry publishes in dist.integrity (default: sha512 of a tarball stand-in). */
  integrity?: string;
  /** What the lockfile holds (default: the registry integrity). */
  lockedIntegrity?: string;
  signatures?: { keyid: string; sig: string }[] | 'none';
  /** null: no dist.attestations; otherwise the bundles served at the attestations URL. */
  bundles?: BundleJson[] | null;
  /** Predicate type dist.attestations.provenance names (default: SLSA v1 when bundles hold provenance). */
  listedProvenance?: string | null;
  repository?: string;
}

export interface PackageSetup {
  name: string;
  /** The LAST version is the locked one; earlier ones feed regression. */
  versions: VersionSetup[];
}

export function integrityOf(name: string, version: string): string {
  return sha512Integrity(`tarball of ${name}@${version}`);
}

export interface Scenario {
  registry: RegistryServer;
  inventory: Inventory;
  facts: RegistryFacts;
  fetchJson: JsonFetcher;
  /** URLs fetched (for "fetched once" assertions). */
  fetched: string[];
  close(): Promise<void>;
}

/** Serves the packages from a loopback registry and builds the inventory and facts the registry stage would. */
export async function scenario(pki: TestPki, packages: PackageSetup[], opts: { keys?: object | null } = {}): Promise<Scenario> {
  const attestations: Record<string, object> = {};
  const lockedList: LockedPackage[] = [];
  const factsMap = new Map<string, PackageFacts>();
  for (const setup of packages) {
    const versions = setup.versions.map((v) => versionFacts(pki, setup.name, v));
    for (const v of setup.versions) {
      if (v.bundles) attestations[`${setup.name}@${v.version}`] = pki.attestationsDocument(v.bundles);
    }
    const lockedSetup = setup.versions.at(-1);
    const locked = versions.at(-1);
    if (!lockedSetup || !locked) throw new Error('scenario: a package needs a version');
    const pkg = lockedPackage({ name: setup.name, version: lockedSetup.version, integrity: lockedSetup.lockedIntegrity ?? locked.integrity });
    lockedList.push(pkg);
    factsMap.set(pkg.id, {
      id: pkg.id,
      name: setup.name,
      version: lockedSetup.version,
      status: 'ok',
      error: null,
      locked,
      previous: versions.at(-2) ?? null,
      earlier: versions.slice(0, -1).reverse(),
    });
  }
  const registry = await startRegistry({ packuments: {}, keys: opts.keys === undefined ? pki.registryKeysDocument() : opts.keys, attestations });
  // dist.attestations.url carries the placeholder: resolve it like the registry would
  for (const facts of factsMap.values()) {
    for (const v of [facts.locked, ...facts.earlier]) {
      if (v?.attestations) v.attestations.url = v.attestations.url.replace('@REGISTRY@', 'https://registry.example.test/');
    }
  }
  const fetched: string[] = [];
  const fetchJson: JsonFetcher = async (url) => {
    fetched.push(url);
    const response = await fetch(url);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
    return response.json();
  };
  return {
    registry,
    inventory: inventory({ packages: lockedList }),
    facts: { packages: factsMap, keys: new Map(), errors: [] },
    fetchJson,
    fetched,
    close: () => registry.close(),
  };
}

function versionFacts(pki: TestPki, name: string, v: VersionSetup): VersionFacts {
  const integrity = v.integrity ?? integrityOf(name, v.version);
  const signatures = v.signatures === 'none' ? [] : (v.signatures ?? [pki.signRegistry(name, v.version, integrity)]);
  const listed = v.listedProvenance === undefined ? 'https://slsa.dev/provenance/v1' : v.listedProvenance;
  return {
    version: v.version,
    publishedAt: v.publishedAt ?? '2026-01-01T00:00:00.000Z',
    integrity,
    tarball: null,
    deprecated: null,
    installScripts: null,
    publisher: 'test-publisher',
    repository: v.repository ?? `git+https://github.com/test-org/${name.replace(/^@[^/]+\//, '')}.git`,
    signatures,
    attestations: v.bundles ? { url: attestationsUrl(name, v.version), ...(listed ? { provenance: { predicateType: listed } } : {}) } : null,
  };
}
