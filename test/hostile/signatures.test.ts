import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { packument, type Packument } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { createTestPki, type TestPki } from '../helpers/test-pki.js';
import { integrityOf } from '../provenance/scenario.js';

const LONG_AGO = '2026-01-01T00:00:00.000Z';
const NOW = '2026-11-23T00:00:00Z';

let pki: TestPki;
let registry: RegistryServer;
let dir: string;

beforeAll(async () => {
  pki = createTestPki({ now: new Date(LONG_AGO) });
  const names = ['signed-lib', 'stripped-lib', 'nodist-lib'];
  const packuments: Record<string, Packument> = {};
  for (const name of names) {
    const integrity = integrityOf(name, '1.0.0');
    const signatures = name === 'signed-lib' ? [pki.signRegistry(name, '1.0.0', integrity)] : [];
    packuments[name] = packument(name, [{ version: '1.0.0', publishedAt: LONG_AGO, integrity, signatures, attestations: null }]);
  }
  const nodist = packuments['nodist-lib']?.versions['1.0.0'] as Record<string, unknown>;
  delete nodist.dist;
  registry = await startRegistry({ packuments, keys: pki.registryKeysDocument() });
  dir = await mkdtemp(join(tmpdir(), 'aca-sig-'));
  const project = join(dir, 'project');
  const deps = Object.fromEntries(names.map((name) => [name, '1.0.0']));
  const lockPackages: Record<string, object> = { '': { name: 'app', version: '1.0.0', dependencies: deps } };
  for (const name of names) lockPackages[`node_modules/${name}`] = { version: '1.0.0', resolved: `${registry.url}${name}/-/${name}-1.0.0.tgz`, integrity: integrityOf(name, '1.0.0') };
  await import('node:fs/promises').then((fs) => fs.mkdir(project));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }));
  await writeFile(join(project, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: lockPackages }));
});

afterAll(async () => {
  await registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function envFor(home: string): NodeJS.ProcessEnv {
  return { HOME: join(dir, home), npm_config_cache: join(dir, home, '.npm'), npm_config_userconfig: join(dir, home, '.npmrc'), npm_config_registry: registry.url };
}

async function audit(env: NodeJS.ProcessEnv): Promise<{ code: number; report: Report }> {
  const run = await cli([join(dir, 'project'), '--json', '--now', NOW], env);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

describe('signature stripping', () => {
  it('a version without dist.signatures from a registry that publishes keys is signature-missing (high); a manifest without dist is an error', async () => {
    registry.setFault('/-/npm/v1/keys', null);
    const { code, report } = await audit(envFor('home-a'));
    const missing = report.findings.filter((finding) => finding.ruleId === 'signature-missing');
    expect(missing.map((finding) => [finding.package?.name, finding.severity]).sort()).toEqual([['nodist-lib', 'high'], ['stripped-lib', 'high']]);
    expect(report.findings.filter((finding) => finding.ruleId === 'signature-invalid')).toEqual([]);
    expect(report.errors).toEqual([expect.objectContaining({ scope: 'nodist-lib@1.0.0', message: expect.stringMatching(/has no dist, so the lockfile integrity cannot be compared/) })]);
    expect(code).toBe(2);
  });

  it('a registry that published keys on an earlier run and now 404s them or lists none is an error, not a note', async () => {
    const env = envFor('home-b');
    registry.setFault('/-/npm/v1/keys', null);
    await audit(env);
    registry.setFault('/-/npm/v1/keys', { kind: 'status', status: 404 });
    const stripped = await audit(env);
    expect(stripped.code).toBe(2);
    expect(stripped.report.errors).toEqual(expect.arrayContaining([expect.objectContaining({ scope: 'registry-keys', message: expect.stringMatching(/published signing keys on an earlier run but now publishes none/) })]));
    expect(stripped.report.notices.join('\n')).not.toMatch(/publishes no registry signing keys/);
    // a registry never seen signing (a mirror that strips them) is only a note
    const mirror = await audit(envFor('home-c'));
    expect(mirror.report.errors.filter((error) => error.scope === 'registry-keys')).toEqual([]);
    expect(mirror.report.notices.join('\n')).toMatch(/publishes no registry signing keys/);
    registry.setFault('/-/npm/v1/keys', null);
  });
});
