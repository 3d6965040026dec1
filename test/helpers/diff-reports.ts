import { auditInventory } from '../../src/audit.js';
import type { LockedPackage } from '../../src/inventory/model.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import type { PackageFacts, RegistryFacts } from '../../src/registry/facts/model.js';
import type { Report } from '../../src/report/model.js';
import { ago, days, NOW, packageFacts, versionFacts } from './facts.js';
import { declared, inventory, lockedPackage } from './inventory.js';

export interface Locked {
  pkg: Partial<LockedPackage> & { name: string; version: string };
  facts?: PackageFacts;
  spec?: string;
}

/** A report of the whole pipeline after the registry stage: the packages, what the registry said, the project's declarations. */
export function reportOf(locked: Locked[], policy: Partial<Policy> = {}): Report {
  const packages = locked.map(({ pkg }) => lockedPackage({ resolved: `https://registry.example.test/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`, ...pkg }));
  const facts: RegistryFacts = {
    packages: new Map(locked.map(({ pkg, facts }) => [`${pkg.name}@${pkg.version}`, facts ?? packageFacts(pkg.name, pkg.version)])),
    keys: new Map(),
    errors: [],
  };
  const declarations = locked.filter(({ pkg }) => pkg.direct).map(({ pkg, spec }) => declared(pkg.name, spec ?? pkg.version, { locked: { name: pkg.name, version: pkg.version, source: 'registry' } }));
  return auditInventory(inventory({ packages, declared: declarations }), { policy: defaultPolicy(policy), now: NOW, clock: () => NOW }, { registry: { facts, cooldown: null, notices: [] } });
}

export const express = (version: string): Locked => ({ pkg: { name: 'express', version, direct: true }, spec: '^4.21.0' });
export const openai = (version: string, publishedAt = ago(days(90))): Locked => ({
  pkg: { name: 'openai', version, direct: true, integrity: `sha512-openai-${version}` },
  facts: packageFacts('openai', version, { locked: { publishedAt, integrity: `sha512-openai-${version}` }, earlier: [versionFacts('3.9.0')] }),
});
export const postinstall = { postinstall: 'node build.js' };
export const nativeBuild: Locked = {
  pkg: { name: 'native-build', version: '1.0.0', direct: true, hasInstallScript: true },
  facts: packageFacts('native-build', '1.0.0', { locked: { installScripts: postinstall }, earlier: [versionFacts('0.9.0', { installScripts: postinstall })] }),
};

