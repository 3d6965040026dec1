import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReleaseDiffCache } from '../../src/release-diff/cache.js';
import { compareReleases, type FetchTarball } from '../../src/release-diff/compare.js';
import type { ScopedRelease } from '../../src/release-diff/scope.js';
import { CacheAuth } from '../../src/util/cache-auth.js';
import { makeTarball, type Tarball } from '../helpers/packuments.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { colourLibrary } from './fixtures/clean-packages.js';
import { appendedDrainerLine } from './fixtures/look-alikes.js';

const NAME = 'tint-colours';
const AUTH = CacheAuth.ephemeral();
let previous: Tarball;
let hijacked: Tarball;
let clean: Tarball;

beforeAll(async () => {
  previous = await makeTarball(NAME, '5.6.0', colourLibrary('5.6.0'));
  clean = await makeTarball(NAME, '5.6.1', colourLibrary('5.6.1'));
  const files = colourLibrary('5.6.1');
  files['source/index.js'] += appendedDrainerLine('hex-names');
  hijacked = await makeTarball(NAME, '5.6.1', files);
});

const tempDir = tempDirs('aca-release-diff-cache-');

function release(current: Tarball, before: Tarball | null = previous): ScopedRelease {
  return { id: `node_modules/${NAME}`, name: NAME, version: '5.6.1', integrity: current.integrity, previousVersion: '5.6.0', previousIntegrity: before?.integrity ?? null, why: 'recent' };
}

/** Serves the two tarballs by version and counts the reads. */
function served(current: Tarball): FetchTarball & { reads: string[] } {
  const reads: string[] = [];
  const fetch = async (_name: string, version: string): Promise<Buffer> => {
    reads.push(version);
    if (version === '5.6.0') return previous.data;
    if (version === '5.6.1') return current.data;
    throw new Error(`no tarball for ${version}`);
  };
  return Object.assign(fetch, { reads });
}

async function compareWith(dir: string, scoped: ScopedRelease, fetch: FetchTarball, auth: CacheAuth | null = AUTH) {
  const cache = await ReleaseDiffCache.open(dir, auth);
  const [outcome] = await compareReleases([scoped], fetch, { cache });
  await cache.save();
  return outcome;
}

describe('release diff cache', () => {
  it('a comparison made once is not made again: the next run reads neither tarball and gets the same diff', async () => {
    const dir = await tempDir();
    const first = served(hijacked);
    const made = await compareWith(dir, release(hijacked), first);
    expect(first.reads.sort()).toEqual(['5.6.0', '5.6.1']);
    expect(made).toMatchObject({ status: 'compared', diff: { severity: 'high' } });
    const again = served(hijacked);
    const cached = await compareWith(dir, release(hijacked), again);
    expect(again.reads).toEqual([]);
    expect(cached).toEqual(made);
  });

  it('is keyed by both integrities: another tarball on either side is compared afresh', async () => {
    const dir = await tempDir();
    await compareWith(dir, release(hijacked), served(hijacked));
    const other = served(clean);
    const outcome = await compareWith(dir, release(clean), other);
    expect(other.reads.sort()).toEqual(['5.6.0', '5.6.1']);
    expect(outcome).toMatchObject({ status: 'compared', diff: { severity: null } });
    const otherPredecessor = await makeTarball(NAME, '5.6.0', { ...colourLibrary('5.6.0'), 'source/extra.js': 'export const x = 1;\n' });
    const reads: string[] = [];
    await compareWith(dir, release(clean, otherPredecessor), async (_name, version) => {
      reads.push(version);
      return version === '5.6.0' ? otherPredecessor.data : clean.data;
    });
    expect(reads.sort()).toEqual(['5.6.0', '5.6.1']);
  });

  it('keeps no comparison without both integrities, and none that failed', async () => {
    const dir = await tempDir();
    const noPredecessorIntegrity = release(hijacked, null);
    await compareWith(dir, noPredecessorIntegrity, served(hijacked));
    const failing = served(hijacked);
    const failed = await compareWith(dir, release(hijacked), async (name, version, integrity) => {
      if (version === '5.6.0') throw new Error('registry said 503');
      return failing(name, version, integrity);
    });
    expect(failed).toMatchObject({ status: 'failed' });
    const again = served(hijacked);
    await compareWith(dir, release(hijacked), again);
    expect(again.reads.sort()).toEqual(['5.6.0', '5.6.1']);
  });

  it('believes no file another key sealed, and no entry of the wrong shape', async () => {
    const dir = await tempDir();
    await compareWith(dir, release(hijacked), served(hijacked));
    const file = join(dir, 'release-diff.json');
    // another user's (or a restored CI cache's) file: worked out again
    const stranger = served(hijacked);
    await compareWith(dir, release(hijacked), stranger, CacheAuth.fromKey(Buffer.alloc(32, 7)));
    expect(stranger.reads).toHaveLength(2);
    // a forged "nothing added" under the user's own key but of the wrong shape: ignored
    const text = await readFile(file, 'utf8');
    const payload = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { format: string; entries: Record<string, { added: unknown; severity: unknown }> };
    for (const entry of Object.values(payload.entries)) entry.added = 'none';
    await writeFile(file, AUTH.seal('release-diff', JSON.stringify(payload)));
    const reread = served(hijacked);
    const outcome = await compareWith(dir, release(hijacked), reread);
    expect(reread.reads).toHaveLength(2);
    expect(outcome).toMatchObject({ status: 'compared', diff: { severity: 'high' } });
  });
});
