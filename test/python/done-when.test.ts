import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, provenanceObject, startPypiIndex, type IndexFileSpec, type PypiIndex } from '../helpers/pypi-index.js';
import { tamper } from '../helpers/test-pki.js';
import { auditPython, hoursBefore } from './support.js';

/**
 * Issue 19's "done when", on the pure pieces and a loopback PEP 691 index: a litellm release
 * uploaded an hour before `now` is a recent release; a yanked pin is high; a release without the
 * PEP 740 provenance its predecessor had is a regression; the same pin a week old passes.
 */
const NOW = new Date('2026-03-24T12:00:00Z');
const pki = createTestPki({ now: NOW });
const REPO = 'BerriAI/litellm';

function release(version: string, hoursOld: number, opts: { provenance?: boolean; yanked?: string; tamper?: boolean; claimedRepo?: string } = {}): IndexFileSpec[] {
  return [`litellm-${version}-py3-none-any.whl`, `litellm-${version}.tar.gz`].map((filename) => ({
    filename,
    uploadTime: hoursBefore(NOW, hoursOld),
    ...(opts.yanked ? { yanked: opts.yanked } : {}),
    provenance: opts.provenance
      ? provenanceObject(pki, {
          filename,
          repository: REPO,
          workflow: 'publish.yml',
          issuedAt: new Date(Date.parse(hoursBefore(NOW, hoursOld))),
          ...(opts.tamper ? { tamper: (bundle) => tamper.flipSignatureByte(bundle) } : {}),
          ...(opts.claimedRepo ? { claimed: { repository: opts.claimedRepo } } : {}),
        })
      : null,
  }));
}

let index: PypiIndex;

beforeAll(async () => {
  index = await startPypiIndex({
    projects: {
      litellm: {
        files: [
          ...release('1.90.0', 24 * 40, { provenance: true }),
          ...release('1.90.1', 24 * 20, { provenance: true }),
          ...release('1.90.2', 24 * 8, { provenance: true }),
          ...release('1.90.3', 30, { yanked: 'Contains a credential stealer' }),
          ...release('1.90.4', 1, { provenance: true }),
          ...release('1.90.5', 24 * 9, { provenance: true, tamper: true }),
          ...release('1.91.0', 24 * 10, { provenance: true, claimedRepo: 'someone/else' }),
        ],
      },
      'litellm-regress': { files: [] },
    },
  });
});

afterAll(async () => {
  await index.close();
});

async function audit(requirements: string) {
  return auditPython({ files: { 'proxy/requirements.txt': requirements }, env: { PIP_INDEX_URL: index.url }, trustedRoot: pki.trustedRoot, now: NOW });
}

describe('Python gateways from their index (issue 19)', () => {
  it('a litellm release uploaded an hour before now is a high recent-release, from its upload time', async () => {
    const { findings, stage } = await audit('litellm[proxy]==1.90.4\n');
    expect(stage.subjects[0]?.facts?.provenance.status).toBe('verified');
    expect(findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['recent-release', 'high']]);
    expect(findings[0]).toMatchObject({ location: { file: 'proxy/requirements.txt', line: 1 }, package: { name: 'litellm', version: '1.90.4' }, evidence: { uploadedAt: hoursBefore(NOW, 1), previousVersion: '1.90.2', role: 'gateway-server' } });
  });

  it('a yanked pin is a high version-yanked finding with the yank reason', async () => {
    const { findings } = await audit('litellm==1.90.3\n');
    const yanked = findings.find((finding) => finding.ruleId === 'version-yanked');
    expect(yanked).toMatchObject({ severity: 'high', evidence: { yankReason: 'Contains a credential stealer' } });
    expect(yanked?.message).toContain('Contains a credential stealer');
  });

  it('a release without the provenance its predecessors had is a provenance regression', async () => {
    const { findings, stage } = await audit('litellm==1.90.3\n');
    expect(stage.subjects[0]?.facts?.provenance.status).toBe('missing');
    expect(findings.find((finding) => finding.ruleId === 'provenance-regression')).toMatchObject({ severity: 'high', evidence: { earlierWithProvenance: ['1.90.2', '1.90.5', '1.91.0', '1.90.1', '1.90.0'] } });
  });

  it('the same project with the release a week old passes', async () => {
    const { findings, errors, stage } = await audit('litellm[proxy]==1.90.2\n');
    expect(stage.subjects[0]?.facts).toMatchObject({ status: 'ok', provenance: { status: 'verified', publishers: [{ kind: 'GitHub', repository: REPO, workflow: 'publish.yml' }] } });
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a tampered attestation is provenance-invalid (critical)', async () => {
    const { findings } = await audit('litellm==1.90.5\n');
    const invalid = findings.find((finding) => finding.ruleId === 'provenance-invalid');
    expect(invalid?.severity).toBe('critical');
    expect(invalid?.message).toMatch(/Sigstore verification failed/);
  });

  it('an attestation signed by another Trusted Publisher than the one claimed is provenance-invalid', async () => {
    const { findings } = await audit('litellm==1.91.0\n');
    expect(findings.find((finding) => finding.ruleId === 'provenance-invalid')?.message).toMatch(/source repository https:\/\/github\.com\/BerriAI\/litellm is not the Trusted Publisher's https:\/\/github\.com\/someone\/else/);
  });

  it('a version the index does not list is version-not-listed, not a pass', async () => {
    const { findings } = await audit('litellm==1.99.0\n');
    expect(findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['version-not-listed', 'high']]);
  });

  it('a known-compromised release the index has removed is critical and not listed', async () => {
    const { findings } = await audit('litellm==1.82.8\n');
    expect(findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([
      ['ai-gateway-image-unpinned', 'critical'],
      ['version-not-listed', 'high'],
    ]);
  });

  it('an unpinned requirement is ai-gateway-image-unpinned and looks nothing up', async () => {
    index.requests.splice(0);
    const { findings } = await audit('litellm>=1.80\n');
    expect(findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['ai-gateway-image-unpinned', 'high']]);
    expect(index.requests).toEqual([]);
  });

  it('an index that cannot be reached is an error, never a pass', async () => {
    const { findings, errors } = await auditPython({ files: { 'requirements.txt': 'litellm==1.90.2\n' }, env: { PIP_INDEX_URL: 'http://127.0.0.1:1/simple/' }, trustedRoot: pki.trustedRoot, now: NOW });
    expect(findings).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/index facts could not be obtained: http:\/\/127\.0\.0\.1:1\/simple\/litellm\//);
  });
});
