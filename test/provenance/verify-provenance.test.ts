import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import type { ProvenanceFacts } from '../../src/provenance/model.js';
import { digestOf, type TrustRoot } from '../../src/provenance/trust-root.js';
import { verifyProvenance } from '../../src/provenance/verify-provenance.js';
import type { Finding } from '../../src/report/model.js';
import { createTestPki, foreignCaBundle, tamper, SLSA_PROVENANCE_V02, type BundleJson, type TestPki } from '../helpers/test-pki.js';
import { integrityOf, scenario, type PackageSetup, type Scenario } from './scenario.js';

let pki: TestPki;
let world: Scenario;
let result: ProvenanceFacts;
let findings: Finding[];

const NOW = new Date('2026-11-23T12:00:00Z');
const TIERS: Record<string, 'gateway'> = { 'llm-gateway': 'gateway', 'bare-gateway': 'gateway' };

function genuine(name: string, version: string, extra: { slsa?: 'v0.2' | 'v1'; sourceRepo?: string } = {}): BundleJson[] {
  const integrity = integrityOf(name, version);
  return [
    pki.publishAttestationBundle({ name, version, integrity }),
    pki.provenanceBundle({ name, version, integrity, ...extra, ...(extra.slsa === 'v0.2' ? { bundleVersion: '0.2' as const } : {}) }),
  ];
}

function trustRootOf(p: TestPki): TrustRoot {
  return { trustedRoot: p.trustedRoot, digest: digestOf(p.trustedRoot), source: 'file', notices: [] };
}

beforeAll(async () => {
  pki = createTestPki({ now: new Date('2026-01-01T00:00:00Z') });
  const [publishOfA, provenanceOfA] = genuine('genuine-a', '1.0.0');
  if (!publishOfA || !provenanceOfA) throw new Error('no bundles');
  const packages: PackageSetup[] = [
    { name: 'genuine-a', versions: [{ version: '1.0.0', bundles: [publishOfA, provenanceOfA] }] },
    { name: '@acme/llm-gateway', versions: [{ version: '2.0.0', bundles: genuine('@acme/llm-gateway', '2.0.0', { slsa: 'v0.2' }), listedProvenance: SLSA_PROVENANCE_V02 }] },
    { name: 'plain', versions: [{ version: '1.0.0', bundles: null }] },
    { name: 'flipped', versions: [{ version: '1.0.0', bundles: genuine('flipped', '1.0.0').map((b, i) => (i === 1 ? tamper.flipSignatureByte(b) : b)) }] },
    {
      name: 'edited',
      versions: [{ version: '1.0.0', bundles: genuine('edited', '1.0.0').map((b, i) => (i === 1 ? tamper.editPayload(b, (st) => void (st.predicate['buildType'] = 'https://evil.example/build')) : b)) }],
    },
    { name: 'other-bundle', versions: [{ version: '1.0.0', bundles: [publishOfA, provenanceOfA] }] },
    {
      name: 'swapped',
      // the registry and the lockfile hold a different tarball than the one the build attested
      versions: [{ version: '1.0.0', integrity: integrityOf('swapped', 'evil'), bundles: genuine('swapped', '1.0.0') }],
    },
    { name: 'replayed', versions: [{ version: '1.0.0', signatures: [pki.signRegistry('genuine-a', '1.0.0', integrityOf('genuine-a', '1.0.0'))], bundles: null }] },
    { name: 'unlogged', versions: [{ version: '1.0.0', bundles: genuine('unlogged', '1.0.0').map((b, i) => (i === 1 ? tamper.removeTlogEntry(b) : b)) }] },
    {
      name: 'foreign',
      versions: [{ version: '1.0.0', bundles: [pki.publishAttestationBundle({ name: 'foreign', version: '1.0.0', integrity: integrityOf('foreign', '1.0.0') }), foreignCaBundle(pki, { name: 'foreign', version: '1.0.0', integrity: integrityOf('foreign', '1.0.0') })] }],
    },
    {
      name: 'regressed',
      versions: [
        { version: '1.0.0', bundles: genuine('regressed', '1.0.0') },
        { version: '1.1.0', bundles: genuine('regressed', '1.1.0') },
        { version: '1.2.0', bundles: null },
      ],
    },
    {
      name: 'moved',
      versions: [{ version: '1.0.0', bundles: genuine('moved', '1.0.0', { sourceRepo: 'https://github.com/someone-else/moved' }), repository: 'git+https://github.com/test-org/moved.git' }],
    },
    { name: 'llm-gateway', versions: [{ version: '3.0.0', bundles: null }] },
    {
      name: 'locked-elsewhere',
      // the lockfile holds another tarball than the one the registry signed and the build attested
      versions: [{ version: '1.0.0', lockedIntegrity: integrityOf('locked-elsewhere', 'other'), bundles: genuine('locked-elsewhere', '1.0.0') }],
    },
  ];
  world = await scenario(pki, packages);
  result = await verifyProvenance({
    inventory: world.inventory,
    facts: world.facts,
    fetchJson: world.fetchJson,
    registryFor: () => world.registry.url,
    trustRoot: trustRootOf(pki),
    now: NOW,
    cacheDir: null,
  });
  findings = runChecks({ inventory: world.inventory, policy: defaultPolicy(), now: NOW, tierOf: (name) => TIERS[name] ?? null, provenance: result });
});

afterAll(async () => {
  await world?.close();
});

const statusOf = (id: string) => result.packages.get(id);
const findingsFor = (name: string) => findings.filter((f) => f.package?.name === name).map((f) => `${f.ruleId}:${f.severity}`);

describe('genuine bundles', () => {
  it('verify, with the attested source read from SLSA v1 and v0.2', () => {
    const a = statusOf('genuine-a@1.0.0');
    expect(a?.provenance).toBe('verified');
    expect(a?.signature.status).toBe('verified');
    expect(a?.publishAttestation).toBe(true);
    expect(a?.source).toMatchObject({
      repository: 'https://github.com/test-org/genuine-a',
      ref: 'refs/heads/main',
      workflow: '.github/workflows/release.yml',
      builder: 'https://github.com/actions/runner/github-hosted',
      predicateType: 'https://slsa.dev/provenance/v1',
      identity: 'https://github.com/test-org/genuine-a/.github/workflows/release.yml@refs/heads/main',
    });
    expect(a?.source?.commit).toMatch(/^[0-9a-f]{40}$/);
    const scoped = statusOf('@acme/llm-gateway@2.0.0');
    expect(scoped?.provenance).toBe('verified');
    expect(scoped?.source).toMatchObject({ repository: 'https://github.com/test-org/llm-gateway', predicateType: SLSA_PROVENANCE_V02, workflow: '.github/workflows/release.yml' });
    expect(findingsFor('genuine-a')).toEqual([]);
    expect(findingsFor('@acme/llm-gateway')).toEqual([]);
  });

  it('a version without attestations is missing, its signature still verified; no finding for ordinary packages', () => {
    expect(statusOf('plain@1.0.0')).toMatchObject({ provenance: 'missing', signature: { status: 'verified' } });
    expect(findingsFor('plain')).toEqual([]);
  });

  it('fetches attestations from the configured registry, whatever host the packument names', () => {
    expect(world.fetched.filter((url) => url.includes('/-/npm/v1/attestations/')).every((url) => url.startsWith(world.registry.url))).toBe(true);
    expect(world.fetched.filter((url) => url.endsWith('/-/npm/v1/keys'))).toHaveLength(1);
    expect(result.errors).toEqual([]);
  });
});

describe('each tampering is caught on the right package, and only there', () => {
  const cases: [string, string, RegExp][] = [
    ['flipped', 'provenance-invalid:critical', /Sigstore verification failed/],
    ['edited', 'provenance-invalid:critical', /Sigstore verification failed \(TLOG_BODY_ERROR/],
    ['other-bundle', 'provenance-invalid:critical', /is about pkg:npm\/genuine-a@1\.0\.0, not pkg:npm\/other-bundle@1\.0\.0/],
    ['swapped', 'provenance-invalid:critical', /sha512 .* is not the locked integrity/],
    ['unlogged', 'provenance-invalid:critical', /TIMESTAMP_ERROR|tlog/i],
    ['foreign', 'provenance-invalid:critical', /CERTIFICATE_ERROR/],
  ];
  it.each(cases)('%s → %s', (name, expected, problem) => {
    expect(findingsFor(name)).toEqual([expected]);
    expect(statusOf(`${name}@1.0.0`)?.provenance).toBe('invalid');
    expect(statusOf(`${name}@1.0.0`)?.problems.join('\n')).toMatch(problem);
    expect(statusOf(`${name}@1.0.0`)?.source).toBeNull();
  });

  it('registry signature replayed from another package → signature-invalid (critical)', () => {
    expect(findingsFor('replayed')).toEqual(['signature-invalid:critical']);
    expect(statusOf('replayed@1.0.0')?.signature.reason).toMatch(/does not cover replayed@1\.0\.0:sha512-/);
  });

  it('locked integrity differs from what was signed and attested → both signature and provenance invalid', () => {
    expect(findingsFor('locked-elsewhere').sort()).toEqual(['provenance-invalid:critical', 'signature-invalid:critical']);
  });

  it('provenance dropped in a new version → provenance-regression (high), naming the versions that had it', () => {
    expect(findingsFor('regressed')).toEqual(['provenance-regression:high']);
    expect(statusOf('regressed@1.2.0')?.earlierWithProvenance).toEqual(['1.1.0', '1.0.0']);
  });

  it('verified provenance from another repository than package.json declares → provenance-source-mismatch (high)', () => {
    expect(statusOf('moved@1.0.0')?.provenance).toBe('verified');
    expect(findingsFor('moved')).toEqual(['provenance-source-mismatch:high']);
  });

  it('an AI gateway without provenance → provenance-missing', () => {
    expect(findingsFor('llm-gateway')).toEqual(['provenance-missing:medium']);
  });

  it('no finding on any untouched package', () => {
    const touched = new Set(['flipped', 'edited', 'other-bundle', 'swapped', 'unlogged', 'foreign', 'replayed', 'locked-elsewhere', 'regressed', 'moved', 'llm-gateway']);
    expect(findings.filter((f) => !touched.has(f.package?.name ?? ''))).toEqual([]);
    expect(findings.every((f) => ['high', 'critical'].includes(f.severity) || f.ruleId === 'provenance-missing')).toBe(true);
  });
});

describe('trust, keys and caching', () => {
  it("genuine bundles do not verify against another PKI's trusted root", async () => {
    const other = await verifyProvenance({
      inventory: world.inventory,
      facts: world.facts,
      fetchJson: world.fetchJson,
      registryFor: () => world.registry.url,
      trustRoot: trustRootOf(createTestPki()),
      now: NOW,
      cacheDir: null,
    });
    expect(other.packages.get('genuine-a@1.0.0')?.provenance).toBe('invalid');
  });

  it('the disk cache serves warm runs and never turns an invalid bundle valid', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'aca-prov-cache-'));
    const run = () =>
      verifyProvenance({ inventory: world.inventory, facts: world.facts, fetchJson: world.fetchJson, registryFor: () => world.registry.url, trustRoot: trustRootOf(pki), now: NOW, cacheDir });
    const cold = await run();
    const warm = await run();
    expect(cold.stats.verifiedFromCache).toBe(0);
    expect(warm.stats.verifiedFromCache).toBeGreaterThan(0);
    // only successes are cached: the failing bundles are verified again, and fail again
    expect(warm.stats.verifiedNow).toBe(cold.stats.verifiedNow - warm.stats.verifiedFromCache);
    for (const [id, entry] of cold.packages) expect(warm.packages.get(id)?.provenance, id).toBe(entry.provenance);
  });

  it('publish attestations need the registry key: without keys they are invalid, signatures unknown', async () => {
    const keyless = await scenario(pki, [{ name: 'genuine-b', versions: [{ version: '1.0.0', bundles: genuine('genuine-b', '1.0.0') }] }], { keys: null });
    try {
      const out = await verifyProvenance({ inventory: keyless.inventory, facts: keyless.facts, fetchJson: keyless.fetchJson, registryFor: () => keyless.registry.url, trustRoot: trustRootOf(pki), now: NOW, cacheDir: null });
      expect(out.packages.get('genuine-b@1.0.0')).toMatchObject({ provenance: 'invalid', signature: { status: 'unknown' } });
      expect(out.packages.get('genuine-b@1.0.0')?.problems.join()).toMatch(/publish attestation: Sigstore verification failed \(PUBLIC_KEY_ERROR/);
    } finally {
      await keyless.close();
    }
  });

  it('a registry without signing keys that lists no attestations (a stripping mirror) leaves provenance unknown, not missing', async () => {
    const mirror = await scenario(pki, [
      { name: 'plain', versions: [{ version: '1.0.0', bundles: null }] },
      { name: 'dropped', versions: [{ version: '1.0.0', bundles: genuine('dropped', '1.0.0') }, { version: '1.1.0', bundles: null }] },
    ], { keys: null });
    try {
      const out = await verifyProvenance({ inventory: mirror.inventory, facts: mirror.facts, fetchJson: mirror.fetchJson, registryFor: () => mirror.registry.url, trustRoot: trustRootOf(pki), now: NOW, cacheDir: null });
      expect(out.packages.get('plain@1.0.0')?.provenance).toBe('unknown');
      expect(out.notices.join()).toMatch(/publishes no registry signing keys/);
      // earlier versions carried attestations in this registry, so it does not strip them: still missing
      expect(out.packages.get('dropped@1.1.0')?.provenance).toBe('missing');
    } finally {
      await mirror.close();
    }
  });

  it('an expired registry key: signatures made before expiry verify, after expiry are invalid', async () => {
    const keys = pki.registryKeysDocument({ expires: '2025-06-01T00:00:00.000Z' });
    const world2 = await scenario(pki, [
      { name: 'old-sig', versions: [{ version: '1.0.0', publishedAt: '2025-01-01T00:00:00.000Z', bundles: null }] },
      { name: 'new-sig', versions: [{ version: '1.0.0', publishedAt: '2025-07-01T00:00:00.000Z', bundles: null }] },
    ], { keys });
    try {
      const out = await verifyProvenance({ inventory: world2.inventory, facts: world2.facts, fetchJson: world2.fetchJson, registryFor: () => world2.registry.url, trustRoot: trustRootOf(pki), now: NOW, cacheDir: null });
      expect(out.packages.get('old-sig@1.0.0')?.signature.status).toBe('verified');
      expect(out.packages.get('new-sig@1.0.0')?.signature).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/expired/) });
    } finally {
      await world2.close();
    }
  });

  it('unfetchable attestations are unknown and reported as errors, never verified', async () => {
    world.registry.setFault('/-/npm/v1/attestations/genuine-a@1.0.0', { kind: 'status', status: 500 });
    try {
      const out = await verifyProvenance({ inventory: world.inventory, facts: world.facts, fetchJson: world.fetchJson, registryFor: () => world.registry.url, trustRoot: trustRootOf(pki), now: NOW, cacheDir: null });
      expect(out.packages.get('genuine-a@1.0.0')?.provenance).toBe('unknown');
      expect(out.errors.map((e) => e.scope)).toEqual(['genuine-a@1.0.0']);
    } finally {
      world.registry.setFault('/-/npm/v1/attestations/genuine-a@1.0.0', null);
    }
  });
});
