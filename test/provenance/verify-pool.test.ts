import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { VerifyPool } from '../../src/provenance/verify-pool.js';
import { createTestPki, sha512Integrity, tamper, type BundleJson, type TestPki } from '../helpers/test-pki.js';

// the worker entry point runs compiled code: `npm test` builds before running vitest
const WORKER = fileURLToPath(new URL('../../dist/provenance/verify-worker.js', import.meta.url));

let pki: TestPki;
let genuine: BundleJson[];

beforeAll(() => {
  pki = createTestPki();
  genuine = Array.from({ length: 70 }, (_, i) => pki.provenanceBundle({ name: `pkg-${i}`, version: '1.0.0', integrity: sha512Integrity(`pkg-${i}`) }));
});

describe('VerifyPool', () => {
  it('the compiled worker exists (run `npm run build` first)', () => {
    expect(existsSync(WORKER), WORKER).toBe(true);
  });

  it('spreads a batch over worker threads and returns every result in order, tampered ones failing', async () => {
    const jobs = genuine.map((bundle, i) => ({ bundle: i % 5 === 0 ? tamper.flipSignatureByte(bundle) : bundle, keys: [] }));
    const pool = new VerifyPool({ trustedRoot: pki.trustedRoot, workers: 2, workerScript: WORKER });
    const results = await pool.verifyAll(jobs);
    expect(pool.threads).toBe(2);
    expect(results.map((r) => r.ok)).toEqual(jobs.map((_, i) => i % 5 !== 0));
    expect(results).toHaveLength(70);
    const first = results[1];
    expect(first?.ok && first.signer.kind === 'certificate' && first.signer.subjectAlternativeName).toBe('https://github.com/test-org/pkg-1/.github/workflows/release.yml@refs/heads/main');
  });

  it('small batches and workers: 0 stay in this thread', async () => {
    const small = new VerifyPool({ trustedRoot: pki.trustedRoot, workers: 2, workerScript: WORKER });
    expect((await small.verifyAll(genuine.slice(0, 3).map((bundle) => ({ bundle, keys: [] })))).every((r) => r.ok)).toBe(true);
    expect(small.threads).toBe(0);
    const inline = new VerifyPool({ trustedRoot: pki.trustedRoot, workers: 0, workerScript: WORKER });
    expect((await inline.verifyAll(genuine.map((bundle) => ({ bundle, keys: [] })))).every((r) => r.ok)).toBe(true);
    expect(inline.threads).toBe(0);
  });

  it('a worker that cannot start does not lose bundles: they are verified in this thread', async () => {
    const broken = fileURLToPath(new URL('./fixtures/crashing-worker.mjs', import.meta.url));
    const pool = new VerifyPool({ trustedRoot: pki.trustedRoot, workers: 2, workerScript: broken });
    const results = await pool.verifyAll(genuine.map((bundle) => ({ bundle, keys: [] })));
    expect(results.every((r) => r.ok)).toBe(true);
  });
});
