import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IndexClient, SIMPLE_JSON_TYPE, type IndexClientOptions } from '../../src/python/simple-api.js';
import { startPypiIndex, type PypiIndex } from '../helpers/pypi-index.js';
import { NO_RETRY } from './support.js';

let index: PypiIndex;
let cacheDir: string;

const FILES = {
  litellm: {
    files: [
      { filename: 'litellm-1.90.2-py3-none-any.whl', uploadTime: '2026-03-01T10:00:00.123456Z' },
      { filename: 'litellm-1.90.2.tar.gz', uploadTime: '2026-03-01T10:00:05Z', yanked: 'broken build' },
      { filename: 'litellm-1.90.3.tar.gz', uploadTime: null, yanked: true },
    ],
    versions: ['1.90.2', '1.90.3', '1.90.4'],
  },
};

beforeAll(async () => {
  index = await startPypiIndex({ projects: FILES });
});
afterAll(async () => {
  await index.close();
});
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'py-index-cache-'));
  index.requests.splice(0);
  index.faults.clear();
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function client(options: Partial<IndexClientOptions> = {}): IndexClient {
  return new IndexClient({ cacheDir, offline: false, retry: NO_RETRY, timeoutMs: 2000, ...options });
}

describe('PEP 691 JSON Simple API client', () => {
  it('asks for JSON at the normalised name and reads upload times, yanks, versions and file versions', async () => {
    const page = await client().projectPage(index.url, 'LiteLLM');
    expect(index.requests[0]).toMatchObject({ path: '/simple/litellm/', accept: SIMPLE_JSON_TYPE });
    if (!page.ok) throw new Error(page.message);
    expect(page.value.versions).toEqual(['1.90.2', '1.90.3', '1.90.4']);
    expect(page.value.files.map((file) => [file.filename, file.version, file.uploadTime, file.yanked, file.url])).toEqual([
      ['litellm-1.90.2-py3-none-any.whl', '1.90.2', '2026-03-01T10:00:00.123456Z', false, `${index.origin}/files/litellm-1.90.2-py3-none-any.whl`],
      ['litellm-1.90.2.tar.gz', '1.90.2', '2026-03-01T10:00:05Z', { reason: 'broken build' }, `${index.origin}/files/litellm-1.90.2.tar.gz`],
      ['litellm-1.90.3.tar.gz', '1.90.3', null, { reason: null }, `${index.origin}/files/litellm-1.90.3.tar.gz`],
    ]);
  });

  it('a project the index does not have is not-found; an HTML-only index is unsupported; garbage is malformed; too large is oversized', async () => {
    expect(await client().projectPage(index.url, 'nope')).toMatchObject({ ok: false, fault: 'not-found', status: 404 });
    index.faults.set('/simple/litellm/', { kind: 'html' });
    expect(await client().projectPage(index.url, 'litellm')).toMatchObject({ ok: false, fault: 'unsupported', message: expect.stringMatching(/does not implement PEP 691/) });
    index.faults.set('/simple/litellm/', { kind: 'garbage' });
    expect(await client().projectPage(index.url, 'litellm')).toMatchObject({ ok: false, fault: 'malformed' });
    index.faults.set('/simple/litellm/', { kind: 'oversized', bytes: 4096 });
    expect(await client({ maxBytes: 1024 }).projectPage(index.url, 'litellm')).toMatchObject({ ok: false, fault: 'oversized' });
  });

  it('asks once per project however many pins want it', async () => {
    const shared = client({ cacheDir: null });
    const answers = await Promise.all([shared.projectPage(index.url, 'litellm'), shared.projectPage(index.url, 'LiteLLM'), shared.projectPage(index.url, 'litellm')]);
    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(index.requests).toHaveLength(1);
  });

  it('retries 5xx answers with back-off, then names the status', async () => {
    index.faults.set('/simple/litellm/', { status: 503 });
    const answer = await client({ retry: { retries: 2, factor: 1, minTimeout: 5, maxTimeout: 5 } }).projectPage(index.url, 'litellm');
    expect(answer).toMatchObject({ ok: false, fault: 'http', status: 503 });
    expect(index.requests).toHaveLength(3);
  });

  it('an answer that does not come within the timeout is a timeout fault', async () => {
    index.faults.set('/simple/litellm/', { kind: 'hang' });
    expect(await client({ timeoutMs: 200 }).projectPage(index.url, 'litellm')).toMatchObject({ ok: false, fault: 'timeout' });
  });

  it('reuses a fresh cached page without a request, revalidates a stale one with its ETag', async () => {
    let clock = 1_000_000;
    const first = client({ clock: () => clock });
    expect((await first.projectPage(index.url, 'litellm')).ok).toBe(true);
    expect(await client({ clock: () => clock }).projectPage(index.url, 'litellm')).toMatchObject({ ok: true, fromCache: true });
    expect(index.requests).toHaveLength(1);
    clock += 601_000;
    expect(await client({ clock: () => clock }).projectPage(index.url, 'litellm')).toMatchObject({ ok: true, fromCache: true });
    expect(index.requests.map((request) => request.status)).toEqual([200, 304]);
  });

  it('offline: the cache only, whatever its age; anything else is not cached', async () => {
    expect(await client({ offline: true }).projectPage(index.url, 'litellm')).toMatchObject({ ok: false, fault: 'not-cached' });
    await client().projectPage(index.url, 'litellm');
    index.requests.splice(0);
    expect(await client({ offline: true, clock: () => Date.now() + 10 * 86_400_000 }).projectPage(index.url, 'litellm')).toMatchObject({ ok: true, fromCache: true });
    expect(index.requests).toEqual([]);
  });

  it('sends URL credentials as Basic auth and never prints them', async () => {
    const secured = await startPypiIndex({ projects: FILES, auth: { user: 'ci', password: 's3cr3t-token' } });
    try {
      const withCredentials = secured.url.replace('http://', 'http://ci:s3cr3t-token@');
      const answer = await client({ cacheDir: null }).projectPage(withCredentials, 'litellm');
      expect(answer.ok).toBe(true);
      expect(secured.requests[0]?.authorization).toBe(`Basic ${Buffer.from('ci:s3cr3t-token').toString('base64')}`);
      const denied = await client({ cacheDir: null }).projectPage(secured.url.replace('http://', 'http://ci:wrong-password@'), 'litellm');
      expect(denied).toMatchObject({ ok: false, fault: 'http', status: 401 });
      expect(JSON.stringify([answer, denied])).not.toMatch(/s3cr3t|wrong-password/);
      await secured.close();
      const unreachable = await client({ cacheDir: null }).projectPage(withCredentials, 'litellm');
      expect(unreachable).toMatchObject({ ok: false, fault: 'network' });
      expect(JSON.stringify(unreachable)).not.toContain('s3cr3t');
    } finally {
      await secured.close();
    }
  });
});
