import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import { cli } from '../helpers/cli.js';
import { redactUrl, redactUrlsIn } from '../../src/util/redact-url.js';

const SECRET = 's3cr3t-t0ken';

let served: ServedProject;
let out: string;
let registryWithPassword: string;
beforeAll(async () => {
  served = await serveFixtureProject('projects/ai-app', {
    documents: (docs) => {
      for (const manifest of Object.values(docs.ms?.versions ?? {})) manifest.deprecated = `moved, see https://bot:${SECRET}@mirror.test/ms?token=${SECRET}`;
      return docs;
    },
  });
  // one document fails, so its URL lands in packages[].facts.error, in errors[] and on stderr
  served.registry.setFault('express', { kind: 'status', status: 404 });
  registryWithPassword = served.registry.url.replace('://', `://ci-user:${SECRET}@`);
  out = await mkdtemp(join(tmpdir(), 'aca-creds-'));
});
afterAll(async () => {
  await served.close();
  await rm(out, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

describe('credentials in URLs', () => {
  it('redacts userinfo and secret query parameters, and nothing else', () => {
    expect(redactUrl('https://u:p@reg.test:8443/a/?X-Amz-Signature=abc&v=1')).toBe('https://***@reg.test:8443/a/?X-Amz-Signature=***&v=1');
    expect(redactUrl('https://reg.test/@scope%2fname')).toBe('https://reg.test/@scope%2fname');
    expect(redactUrlsIn('from http://a:b@h/x and https://c@d/y?token=z')).toBe('from http://***@h/x and https://***@d/y?token=***');
    expect(redactUrlsIn('name@1.0.0 has no url')).toBe('name@1.0.0 has no url');
  });

  it('never appear in any format, on stderr, in the report file or in the cache files', async () => {
    const env = { ...served.env, npm_config_registry: registryWithPassword };
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif', 'markdown', 'github']) {
      const run = await cli([served.dir, '--format', format, '-o', `json=${join(out, `${format}.json`)}`], env);
      expect(run.code).not.toBe(0);
      outputs.push(run.stdout, run.stderr, await readFile(join(out, `${format}.json`), 'utf8'));
    }
    expect(outputs.join('\n')).toContain('***@');
    expect(outputs.filter((text) => text.includes(SECRET)).map((text) => text.slice(0, 200))).toEqual([]);
    const report = JSON.parse(outputs[2] ?? '{}') as { packages: Array<{ name: string; facts: { error?: string | null } }> };
    expect(report.packages.find((pkg) => pkg.name === 'express')?.facts.error).toContain('***@127.0.0.1');
    const cacheDir = String(served.env.npm_config_cache);
    const cacheFiles = (await filesUnder(join(cacheDir, '_ai-chain-audit'))).filter((file) => !file.includes('_cacache'));
    expect(cacheFiles.length).toBeGreaterThan(0);
    for (const file of cacheFiles) {
      if ((await stat(file)).size < 50_000_000) expect((await readFile(file, 'utf8')).includes(SECRET), file).toBe(false);
    }
    // the credential did reach the registry, as npm would send it
    expect(served.registry.requests.some((request) => request.authorization?.startsWith('Basic '))).toBe(true);
  }, 90_000);
});
