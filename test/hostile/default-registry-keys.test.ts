import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/provenance/trust-root.js';
import { verifyProvenance } from '../../src/provenance/verify-provenance.js';
import { createTestPki } from '../helpers/test-pki.js';
import { scenario } from '../provenance/scenario.js';

const pki = createTestPki({ now: new Date('2026-01-01T00:00:00Z') });

describe("npm's default registry without signing keys", () => {
  it('is an error, while another registry without keys is only a notice', async () => {
    const world = await scenario(pki, [{ name: 'lib', versions: [{ version: '1.0.0', signatures: 'none' }] }], { keys: null });
    try {
      const run = (defaultRegistry: string) =>
        verifyProvenance({ inventory: world.inventory, facts: world.facts, fetchJson: world.fetchJson, registryFor: () => world.registry.url, trustRoot: { trustedRoot: pki.trustedRoot, digest: digestOf(pki.trustedRoot), source: 'file', notices: [] }, now: new Date('2026-11-23T00:00:00Z'), cacheDir: null, defaultRegistry });
      const asDefault = await run(world.registry.url);
      expect(asDefault.errors).toEqual([expect.objectContaining({ scope: 'registry-keys', message: expect.stringMatching(/is npm's default registry, which signs every version, but now publishes none/) })]);
      const asMirror = await run('https://default-registry.invalid/');
      expect(asMirror.errors).toEqual([]);
      expect(asMirror.notices.join('\n')).toMatch(/publishes no registry signing keys/);
    } finally {
      await world.close();
    }
  });
});
