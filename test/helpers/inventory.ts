import type { Catalog } from '../../src/ai/catalog.js';
import type { AiTier } from '../../src/model/tier.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { DeclaredDependency, Inventory, LockedPackage } from '../../src/inventory/model.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';

export function lockedPackage(overrides: Partial<LockedPackage> & { name: string; version: string }): LockedPackage {
  return {
    id: `${overrides.name}@${overrides.version}`,
    aliases: [],
    resolved: null,
    integrity: 'sha512-AAAA',
    source: 'registry',
    direct: false,
    dev: false,
    optional: false,
    peer: false,
    workspaces: [],
    paths: [['app', overrides.name]],
    instances: 1,
    lockfileLine: 10,
    hasInstallScript: false,
    ...overrides,
  };
}

export function declared(name: string, spec: string, overrides: Partial<DeclaredDependency> = {}): DeclaredDependency {
  return { name, spec, type: 'prod', file: 'package.json', line: 5, locked: null, ...overrides };
}

export function inventory(overrides: Partial<Inventory> & { declared?: DeclaredDependency[] } = {}): Inventory {
  const { declared: deps = [], ...rest } = overrides;
  return {
    root: '/project',
    name: 'app',
    lockfile: { path: '/project/package-lock.json', file: 'package-lock.json', format: 'npm', version: '3' },
    importers: [{ path: '.', name: 'app', version: '1.0.0', declared: deps }],
    packages: [],
    notices: [],
    ...rest,
  };
}

export const TIERS: Record<string, AiTier> = {
  'portkey-ai': 'gateway',
  litellm: 'gateway',
  '@helicone/helpers': 'cost-observability',
  openai: 'provider-sdk',
  ai: 'framework',
};

export function context(inv: Inventory, policy: Partial<Policy> = {}): CheckContext {
  return {
    inventory: inv,
    policy: defaultPolicy(policy),
    now: new Date('2026-11-23T12:00:00Z'),
    tierOf: (name) => TIERS[name] ?? null,
  };
}

/** A small catalog for tests that must not depend on the researched catalog's contents. */
export const TEST_CATALOG: Catalog = {
  schemaVersion: 1,
  reviewed: '2026-11-23',
  tools: [
    {
      id: 'portkey',
      name: 'Portkey',
      vendor: 'Portkey.ai',
      tier: 'gateway',
      role: 'gateway-client',
      packages: [{ name: 'portkey-ai' }],
      pythonPackages: [],
      images: [],
      endpoints: ['api.portkey.ai'],
      envVars: ['PORTKEY_API_KEY'],
      headers: ['x-portkey-api-key'],
      defaults: { requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'default', singlePointOfFailure: true },
      modes: [],
      summary: 'Hosted gateway client.',
      evidence: [],
      sources: [],
      reviewed: '2026-11-23',
    },
  ],
};
