import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { createTestPki, provenanceObject, startPypiIndex, type IndexFileSpec, type PypiIndex } from '../helpers/pypi-index.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';

/**
 * Issue 19's "done when" as a new user meets it: a Node app with a LiteLLM proxy beside it, whose
 * requirements.txt pins a release uploaded an hour before --now, audited by the CLI against the
 * Python index PIP_INDEX_URL names (a loopback PEP 691 index with test-PKI attestations).
 */
const NOW = new Date('2026-03-24T12:00:00Z');
const pki = createTestPki({ now: NOW });
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * 3600_000).toISOString();

function release(version: string, hoursOld: number, provenance: boolean): IndexFileSpec[] {
  return [`litellm-${version}-py3-none-any.whl`, `litellm-${version}.tar.gz`].map((filename) => ({
    filename,
    uploadTime: hoursBefore(hoursOld),
    provenance: provenance ? provenanceObject(pki, { filename, repository: 'BerriAI/litellm', workflow: 'publish.yml', issuedAt: new Date(hoursBefore(hoursOld)) }) : null,
  }));
}

let index: PypiIndex;
let registry: RegistryServer;
let dir: string;
let env: NodeJS.ProcessEnv;
let trustedRoot: string;

beforeAll(async () => {
  index = await startPypiIndex({ projects: { litellm: { files: [...release('1.90.2', 24 * 8, true), ...release('1.90.4', 1, false)] } } });
  registry = await startRegistry({ packuments: {}, keys: null });
  dir = await mkdtemp(join(tmpdir(), 'aca-python-'));
  await mkdir(join(dir, 'app', 'proxy'), { recursive: true });
  await writeFile(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'py-app', version: '1.0.0' }));
  await writeFile(join(dir, 'app', 'package-lock.json'), JSON.stringify({ name: 'py-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'py-app', version: '1.0.0' } } }));
  trustedRoot = join(dir, 'trusted-root.json');
  await writeFile(trustedRoot, JSON.stringify(pki.trustedRoot));
  const credentialed = index.url.replace('http://', 'http://ci:s3cr3t@');
  env = { npm_config_registry: registry.url, npm_config_cache: join(dir, 'npm-cache'), HOME: dir, PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: credentialed };
}, 60_000);

afterAll(async () => {
  await index.close();
  await registry.close();
  await rm(dir, { recursive: true, force: true });
});

async function audit(requirement: string, args: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
  await writeFile(join(dir, 'app', 'proxy', 'requirements.txt'), `# the LiteLLM proxy beside the app\n${requirement}\n`);
  const run = await cli([join(dir, 'app'), '--json', '--now', NOW.toISOString(), '--trusted-root', trustedRoot, ...args], env);
  return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

function gating(report: Report) {
  return report.findings.filter((finding) => finding.severity === 'high' || finding.severity === 'critical');
}

describe('a Python gateway pinned beside a Node app, through the CLI', () => {
  it('fails the default gate with recent-release on a litellm release uploaded an hour before --now, and a provenance regression', async () => {
    const { code, report } = await audit('litellm[proxy]==1.90.4');
    expect(code).toBe(1);
    // the proxy's own AI answers (in the request path, handles keys) are medium and low: the gate fails on the release
    expect(gating(report).map((finding) => [finding.ruleId, finding.severity, finding.location])).toEqual([
      ['provenance-regression', 'high', { file: 'proxy/requirements.txt', line: 2 }],
      ['recent-release', 'high', { file: 'proxy/requirements.txt', line: 2 }],
    ]);
    expect(report.pythonPackages).toEqual([
      expect.objectContaining({ name: 'litellm', version: '1.90.4', role: 'gateway-server', pinning: 'exact', index: { url: `${index.url}litellm/`, origin: 'PIP_INDEX_URL' }, provenance: 'missing', facts: expect.objectContaining({ status: 'ok', uploadedAt: hoursBefore(1), previousVersion: '1.90.2' }) }),
    ]);
    expect(index.requests.every((request) => request.authorization === `Basic ${Buffer.from('ci:s3cr3t').toString('base64')}`)).toBe(true);
    expect(JSON.stringify(report)).not.toContain('s3cr3t');
  });

  it('passes the same project with the release a week old, its provenance verified', async () => {
    const { code, report } = await audit('litellm[proxy]==1.90.2');
    expect(gating(report)).toEqual([]);
    expect(report.findings.map((finding) => finding.ruleId).sort()).toEqual(['ai-gateway-in-path', 'ai-tool-handles-keys']);
    expect(report.errors).toEqual([]);
    expect(report.pythonPackages?.[0]).toMatchObject({ provenance: 'verified', publishers: [{ kind: 'GitHub', repository: 'BerriAI/litellm', workflow: 'publish.yml' }] });
    expect(code).toBe(0);
  });

  it('--offline answers from the cache, and says "not cached" (exit 2) for what it never fetched', async () => {
    index.requests.splice(0);
    const cached = await audit('litellm[proxy]==1.90.2', ['--offline']);
    expect(index.requests).toEqual([]);
    expect(cached.code).toBe(0);
    await rm(join(dir, 'npm-cache'), { recursive: true, force: true });
    const cold = await audit('litellm[proxy]==1.90.2', ['--offline']);
    expect(cold.code).toBe(2);
    expect(cold.report.errors.map((error) => error.message)).toEqual([expect.stringMatching(/litellm 1\.90\.2 \(proxy\/requirements\.txt:2\): the index facts could not be obtained: .*is not cached \(offline\)/)]);
  });
});
