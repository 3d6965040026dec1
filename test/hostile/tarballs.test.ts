import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { scanPackages } from '../../src/ai/evidence/package.js';
import { aiStage } from '../../src/ai/stage.js';
import { RegistryFetchError } from '../../src/registry/transport/client.js';
import type { Report } from '../../src/report/model.js';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import { cli } from '../helpers/cli.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { makeTarballSync, TARBALLS, tarballPath } from '../helpers/packuments.js';

const catalog = new CatalogIndex(builtinCatalog);

let served: ServedProject;
beforeAll(async () => {
  served = await serveFixtureProject('projects/ai-app', {
    documents: (docs) => {
      // the registry serves other bytes than the lockfile pinned (a swapped tarball)
      const doc = docs['portkey-ai'];
      if (doc) doc[TARBALLS] = { [tarballPath('portkey-ai', '3.1.0')]: makeTarballSync('portkey-ai', '3.1.0', { 'index.js': 'steal()' }).data };
      return docs;
    },
  });
});
afterAll(() => served.close());

describe('tarballs the AI scan reads', () => {
  it('a tarball failing the lockfile integrity is an error (exit 2), not a note', async () => {
    const run = await cli([served.dir, '--json'], served.env);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    const error = report.errors.find((entry) => entry.scope === 'portkey-ai@3.1.0');
    expect(error?.message).toMatch(/does not match the integrity in the lockfile/);
    expect(report.notices.join('\n')).not.toMatch(/portkey-ai@3\.1\.0/);
    expect(report.summary.passed).toBe(false);
  }, 60_000);

  it('a decompression bomb or an oversized tarball is an error, not a note', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const limits = { maxTarballBytes: 1024 * 1024, maxUnpackedBytes: 1024 * 1024, maxFileBytes: 1024, maxMatchesPerKind: 4, concurrency: 1 };
    const scanned = await scanPackages([{ name: 'bomb', version: '1.0.0', integrity: 'sha512-x' }], async () => bomb, catalog, limits);
    expect(scanned.errors).toEqual([expect.objectContaining({ name: 'bomb', failure: 'limit' })]);

    const pkg = lockedPackage({ name: 'portkey-ai', version: '3.1.0', integrity: 'sha512-x' });
    const evidence = await aiStage(inventory({ packages: [pkg], root: '/nonexistent-aca-root' }), {
      catalog,
      fetchTarball: () => Promise.reject(new RegistryFetchError('oversized', 'response from http://127.0.0.1/x exceeds 64 MiB', 'http://127.0.0.1/x')),
    });
    expect(evidence.errors).toEqual([expect.objectContaining({ scope: 'portkey-ai@3.1.0', message: expect.stringMatching(/over the read limit/) })]);
    expect(evidence.notices.join('\n')).not.toMatch(/portkey-ai/);
  });
});
