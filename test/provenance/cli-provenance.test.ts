import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { attestationsUrl, packument, type Packument } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { createTestPki, tamper, type TestPki } from '../helpers/test-pki.js';
import { integrityOf } from './scenario.js';

const schema = JSON.parse(await readFile(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

let pki: TestPki;
let registry: RegistryServer;
let dir: string;
let env: NodeJS.ProcessEnv;
let trustedRootFile: string;

const LONG_AGO = '2026-01-01T00:00:00.000Z';

beforeAll(async () => {
  pki = createTestPki({ now: new Date(LONG_AGO) });
  const versions: Record<string, 'genuine' | 'tampered' | 'none'> = { 'good-lib': 'genuine', 'bad-lib': 'tampered', 'plain-lib': 'none' };
  const packuments: Record<string, Packument> = {};
  const attestations: Record<string, object> = {};
  for (const [name, kind] of Object.entries(versions)) {
    const integrity = integrityOf(name, '1.0.0');
    const bundles = [pki.publishAttestationBundle({ name, version: '1.0.0', integrity }), pki.provenanceBundle({ name, version: '1.0.0', integrity, sourceRepo: `https://github.com/test-org/${name}` })];
    if (kind === 'tampered') bundles[1] = tamper.flipSignatureByte(bundles[1] ?? bundles[0]!);
    if (kind !== 'none') attestations[`${name}@1.0.0`] = pki.attestationsDocument(bundles);
    packuments[name] = packument(
      name,
      [{ version: '1.0.0', publishedAt: LONG_AGO, integrity, signatures: [pki.signRegistry(name, '1.0.0', integrity)], attestations: kind === 'none' ? null : { url: attestationsUrl(name, '1.0.0'), provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } }],
      { repository: `https://github.com/test-org/${name}` },
    );
  }
  registry = await startRegistry({ packuments, keys: pki.registryKeysDocument(), attestations });
  dir = await mkdtemp(join(tmpdir(), 'aca-prov-cli-'));
  const deps = Object.fromEntries(Object.keys(versions).map((name) => [name, '1.0.0']));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }, null, 2));
  const lockPackages: Record<string, object> = { '': { name: 'app', version: '1.0.0', dependencies: deps } };
  for (const name of Object.keys(versions)) {
    lockPackages[`node_modules/${name}`] = { version: '1.0.0', resolved: `${registry.url}${name}/-/${name}-1.0.0.tgz`, integrity: integrityOf(name, '1.0.0') };
  }
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: lockPackages }, null, 2));
  trustedRootFile = join(dir, '..', `${Date.now()}-trusted-root.json`);
  await writeFile(trustedRootFile, JSON.stringify(pki.trustedRoot));
  env = { npm_config_cache: join(dir, '.npm-cache'), npm_config_registry: registry.url };
});

afterAll(async () => {
  await registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (trustedRootFile) await rm(trustedRootFile, { force: true });
});

describe('ai-chain-audit --trusted-root', () => {
  it('reports provenance per package, the attested source, signature and summary counts; the tampered one is critical', async () => {
    const run = await cli([dir, '--json', '--trusted-root', trustedRootFile, '--now', '2026-11-23T00:00:00Z'], env);
    const report = JSON.parse(run.stdout) as Report;
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    const byName = new Map(report.packages.map((pkg) => [pkg.name, pkg]));
    expect(byName.get('good-lib')).toMatchObject({ provenance: 'verified', signature: 'verified', provenanceSource: { repository: 'https://github.com/test-org/good-lib', ref: 'refs/heads/main', workflow: '.github/workflows/release.yml' } });
    expect(byName.get('bad-lib')).toMatchObject({ provenance: 'invalid', signature: 'verified', provenanceSource: null });
    expect(byName.get('plain-lib')).toMatchObject({ provenance: 'missing', signature: 'verified' });
    expect(report.summary.provenance).toEqual({ verified: 1, missing: 1, invalid: 1, unknown: 0 });
    expect(report.summary.signatures).toEqual({ verified: 3, missing: 0, invalid: 0, unknown: 0 });
    const provenanceFindings = report.findings.filter((f) => f.ruleId.startsWith('provenance') || f.ruleId === 'signature-invalid');
    expect(provenanceFindings.map((f) => `${f.ruleId}:${f.severity}:${f.package?.name}`)).toEqual(['provenance-invalid:critical:bad-lib']);
    expect(report.notices.join('\n')).toContain('Sigstore trust root:');
    expect(run.code).toBe(1);
  });

  it('a trusted root that is not one → exit 2 with one line', async () => {
    const bogus = join(dir, 'not-a-root.json');
    await writeFile(bogus, '{"hello": "world"}');
    const run = await cli([dir, '--json', '--trusted-root', bogus], env);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/is not a Sigstore trusted root/);
  });
});
