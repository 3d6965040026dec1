import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { readInventory } from '../../src/inventory/index.js';
import type { Inventory, LockedPackage } from '../../src/inventory/model.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { materializeFixture } from '../helpers/fixtures.js';

const REGISTRY = 'https://registry.example.test/';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function fixture(name: string): Promise<string> {
  const { dir, cleanup } = await materializeFixture(`lockfiles/${name}`, { registry: REGISTRY });
  cleanups.push(cleanup);
  return dir;
}

function pkg(inventory: Inventory, id: string): LockedPackage {
  const found = inventory.packages.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`${id} not in inventory: ${inventory.packages.map((p) => p.id).join(', ')}`);
  return found;
}

describe('pnpm-lock.yaml', () => {
  it('9.0 (pnpm 10): importers with their folders, aliases, peer-suffixed snapshots, no invented URLs', async () => {
    const inventory = await readInventory(await fixture('pnpm-v9'));
    expect(inventory.lockfile).toMatchObject({ format: 'pnpm', version: '9.0', file: 'pnpm-lock.yaml' });
    expect(inventory.importers.map((importer) => [importer.path, importer.name])).toEqual([
      ['.', 'fx-pnpm-v9'],
      ['packages/app', '@fx/app'],
      ['packages/lib', '@fx/lib'],
    ]);
    // snapshot key @helicone/helpers@1.8.3(openai@5.23.2) is one package at 1.8.3
    const helicone = pkg(inventory, '@helicone/helpers@1.8.3');
    expect(helicone).toMatchObject({ resolved: null, source: 'registry', direct: true, workspaces: ['.'] });
    expect(helicone.integrity).toMatch(/^sha512-/);
    expect(inventory.packages.every((p) => p.resolved === null)).toBe(true);
    expect(pkg(inventory, 'ms@2.0.0')).toMatchObject({ aliases: ['ms-old'], paths: [['fx-pnpm-v9', '@fx/app', 'ms-old']] });
    expect(pkg(inventory, 'langfuse-core@3.39.2').paths).toEqual([['fx-pnpm-v9', '@fx/app', 'langfuse', 'langfuse-core']]);
    const app = inventory.importers.find((importer) => importer.path === 'packages/app');
    expect(app?.declared.find((dep) => dep.name === '@fx/lib')?.locked).toMatchObject({ source: 'directory', workspace: 'packages/lib' });
    expect(inventory.packages.some((p) => p.name.startsWith('@fx/'))).toBe(false);
  });

  it.each([
    ['pnpm-v6', '6.0'],
    ['pnpm-v5', '5.4'],
  ])('%s: recorded dev/optional flags, requiresBuild and npm: aliases', async (name, version) => {
    const inventory = await readInventory(await fixture(name));
    expect(inventory.lockfile?.version).toBe(version);
    expect(pkg(inventory, 'is-number@7.0.0')).toMatchObject({ dev: true, optional: false, direct: true });
    expect(pkg(inventory, 'semver@7.8.6')).toMatchObject({ dev: false, optional: true, hasInstallScript: true });
    expect(pkg(inventory, 'ms@2.0.0').aliases).toEqual(['ms-old']);
    expect(pkg(inventory, '@helicone/helpers@1.8.3').instances).toBe(1);
  });
});

describe('yarn.lock', () => {
  it('yarn 1: multi-descriptor entries, npm: aliases, resolved URLs classified by shape', async () => {
    const inventory = await readInventory(await fixture('yarn-v1'));
    expect(inventory.lockfile).toMatchObject({ format: 'yarn-classic', version: '1' });
    const ms = pkg(inventory, 'ms@2.1.3');
    expect(ms).toMatchObject({ source: 'registry', resolved: `${REGISTRY}ms/-/ms-2.1.3.tgz`, instances: 1, lockfileLine: 17 });
    expect(ms.paths).toEqual([['fx-yarn-v1', 'ms'], ['fx-yarn-v1', 'debug', 'ms']]);
    expect(pkg(inventory, 'openai@5.23.2')).toMatchObject({ aliases: ['oai'], direct: true });
    expect(pkg(inventory, 'semver@7.8.6').integrity).toMatch(/^sha512-/);
  });

  it('yarn 4: workspaces as importers, checksums kept apart from npm integrity and explained', async () => {
    const inventory = await readInventory(await fixture('yarn-berry'));
    expect(inventory.lockfile).toMatchObject({ format: 'yarn-berry', version: '10' });
    expect(inventory.importers.map((importer) => importer.path)).toEqual(['.', 'packages/app', 'packages/shared']);
    const debug = pkg(inventory, 'debug@4.4.3');
    expect(debug).toMatchObject({ integrity: null, resolved: null, source: 'registry', workspaces: ['packages/app'] });
    expect(debug.checksum).toMatch(/^10c0\/[0-9a-f]{128}$/);
    expect(pkg(inventory, 'openai@5.23.2').aliases).toEqual(['oai']);
    expect(inventory.notices.join('\n')).toMatch(/yarn's own checksums.*cannot be compared with the registry's integrity/);
  });
});

describe('bun.lock', () => {
  it('JSONC with trailing commas; nested install locations; aliases; workspaces', async () => {
    const inventory = await readInventory(await fixture('bun'));
    expect(inventory.lockfile).toMatchObject({ format: 'bun', version: '2' });
    expect(pkg(inventory, 'ms@2.1.3').paths).toEqual([['fx-bun', 'debug', 'ms']]);
    expect(pkg(inventory, 'ms@2.1.2')).toMatchObject({ direct: true, workspaces: ['packages/app'] });
    expect(pkg(inventory, 'ms@2.0.0').aliases).toEqual(['ms-old']);
    expect(pkg(inventory, 'openai@5.23.2').integrity).toMatch(/^sha512-/);
    expect(inventory.importers.map((importer) => importer.path)).toEqual(['.', 'packages/app', 'packages/lib']);
  });
});

describe('the checks read every format the same way', () => {
  const policy = defaultPolicy({ trustedRegistries: [REGISTRY] });

  it.each(['pnpm-v9', 'pnpm-v6', 'pnpm-v5', 'yarn-v1', 'yarn-berry', 'bun'])('%s: in sync, no workspace: spec flagged, nothing untrusted', async (name) => {
    const report = await audit(await fixture(name), { policy });
    const rules = new Set(report.findings.map((finding) => finding.ruleId));
    expect(rules.has('lockfile-out-of-sync')).toBe(false);
    expect(rules.has('lockfile-untrusted-source')).toBe(false);
    expect(rules.has('lockfile-integrity-missing')).toBe(false);
    expect(report.findings.filter((finding) => finding.ruleId === 'unpinned-spec').every((finding) => !/workspace:/.test(finding.message))).toBe(true);
    expect(report.findings.some((finding) => finding.ruleId === 'unpinned-spec' && finding.package?.name === 'openai')).toBe(true);
  });

  it('a package.json edited after pnpm locked it is out of sync', async () => {
    const dir = await fixture('pnpm-v9');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    manifest.dependencies.openai = '^6.0.0';
    manifest.dependencies['left-pad'] = '1.3.0';
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    const report = await audit(dir, { policy });
    const outOfSync = report.findings.filter((finding) => finding.ruleId === 'lockfile-out-of-sync').map((finding) => finding.package?.name);
    expect(outOfSync.sort()).toEqual(['left-pad', 'openai']);
  });

  it('a yarn 1 workspace range is satisfied by linking the workspace, and reported when it no longer is', async () => {
    const dir = await fixture('yarn-v1');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    manifest.workspaces = ['packages/*'];
    manifest.dependencies['@fx/shared'] = '^1.0.0';
    manifest.dependencies['@fx/other'] = '^2.0.0';
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    for (const [folder, name] of [['shared', '@fx/shared'], ['other', '@fx/other']]) {
      await import('node:fs/promises').then(({ mkdir }) => mkdir(join(dir, 'packages', folder as string), { recursive: true }));
      await writeFile(join(dir, 'packages', folder as string, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
    }
    const report = await audit(dir, { policy });
    const outOfSync = report.findings.filter((finding) => finding.ruleId === 'lockfile-out-of-sync');
    expect(outOfSync.map((finding) => finding.package?.name)).toEqual(['@fx/other']);
    expect(outOfSync[0]?.message).toMatch(/links the workspace at version 1\.0\.0/);
  });
});
