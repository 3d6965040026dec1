import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOciRegistry } from '../helpers/oci-registry.js';
import { createTestPki } from '../helpers/test-pki.js';
import { auditPython } from './support.js';

const NOW = new Date('2026-03-24T12:00:00Z');
const pki = createTestPki({ now: NOW });
let registry: Awaited<ReturnType<typeof startOciRegistry>>;

beforeAll(async () => {
  registry = await startOciRegistry([
    { repository: 'berriai/litellm', tag: 'main-latest', created: '2026-03-24T11:00:00Z' },
    { repository: 'berriai/litellm', tag: 'main-v1.90.2', created: '2026-03-10T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await registry.close();
});

function gateway(tag: string, host = registry.host) {
  const repository = `${host}/berriai/litellm`;
  return { image: { raw: `${repository}:${tag}`, repository, tag, digest: null }, tool: 'LiteLLM Proxy (AI gateway server)', tier: 'gateway' as const, file: 'docker-compose.yml', line: 11 };
}

describe('gateway images in the Python stage', () => {
  it('a moving tag whose current build is an hour old is a high recent-release naming the digest', async () => {
    const { findings, stage } = await auditPython({ files: {}, trustedRoot: pki.trustedRoot, now: NOW, images: [gateway('main-latest'), gateway('main-v1.90.2')] });
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'recent-release', severity: 'high', location: { file: 'docker-compose.yml', line: 11 }, evidence: expect.objectContaining({ kind: 'image', digest: registry.digestOf('berriai/litellm', 'main-latest'), created: '2026-03-24T11:00:00Z' }) }),
    ]);
    expect(stage.notices).toEqual([expect.stringContaining(`resolves to ${registry.digestOf('berriai/litellm', 'main-latest')}, built 2026-03-24T11:00:00Z`), expect.stringContaining('built 2026-03-10T00:00:00Z')]);
  });

  it('an unreachable registry is a notice that the age is unchecked, not a pass and not a finding', async () => {
    const { findings, stage } = await auditPython({ files: {}, trustedRoot: pki.trustedRoot, now: NOW, images: [gateway('main-latest', '127.0.0.1:1')] });
    expect(findings).toEqual([]);
    expect(stage.images[0]?.resolution.status).toBe('unreachable');
    expect(stage.notices).toEqual([expect.stringMatching(/127\.0\.0\.1:1\/berriai\/litellm:main-latest \(docker-compose\.yml:11\) could not be resolved to a digest and age \(unreachable: .*\): its age is unchecked\./)]);
  });
});
