import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { CacheAuth, cacheKeyFile } from '../../src/util/cache-auth.js';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import { cli } from '../helpers/cli.js';
import { sha512Integrity } from '../helpers/test-pki.js';

let served: ServedProject;
let lockedIntegrity = '';
beforeAll(async () => {
  served = await serveFixtureProject('projects/ai-app', {
    documents: (docs) => {
      // the registry now publishes other bytes for the locked express: a critical finding
      for (const manifest of Object.values(docs.express?.versions ?? {})) manifest.dist.integrity = sha512Integrity(`swapped ${manifest.version}`);
      return docs;
    },
  });
  const lockfile = JSON.parse(await readFile(join(served.dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { integrity?: string }> };
  lockedIntegrity = lockfile.packages['node_modules/express']?.integrity ?? '';
});
afterAll(() => served.close());

async function audit(): Promise<{ code: number; report: Report }> {
  const run = await cli([served.dir, '--json'], served.env);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const mismatches = (report: Report) => report.findings.filter((finding) => finding.ruleId === 'lockfile-integrity-mismatch').map((finding) => finding.package?.name);

describe('a poisoned facts cache', () => {
  it('a hand-edited, well-formed entry is not believed: the document is fetched again and the critical stays', async () => {
    const cold = await audit();
    expect(mismatches(cold.report)).toEqual(['express']);
    const cacheFile = join(String(served.env.npm_config_cache), '_ai-chain-audit', 'registry-facts.json');
    const sealed = await readFile(cacheFile, 'utf8');
    const payload = sealed.slice(sealed.indexOf('\n') + 1);
    // the attacker makes the cached facts agree with the lockfile
    const forged = payload.replace(/"integrity":"sha512-[^"]*"(?=,"tarball":"[^"]*\/express\/)/g, `"integrity":"${lockedIntegrity}"`);
    expect(forged).not.toBe(payload);
    const otherKey = CacheAuth.fromKey(Buffer.alloc(32, 9));
    for (const text of [forged, otherKey.seal('ai-chain-audit/registry-facts/2', forged), `${sealed.slice(0, sealed.indexOf('\n') + 1)}${forged}`]) {
      await writeFile(cacheFile, text);
      served.registry.reset();
      const warm = await audit();
      expect(mismatches(warm.report)).toEqual(['express']);
      expect(warm.code).toBe(1);
      expect(served.registry.requests.some((request) => request.path === '/express')).toBe(true);
    }
  }, 120_000);

  it('the key lives in the user config folder, outside the cache, readable by the user only', async () => {
    const keyFile = cacheKeyFile({ HOME: String(served.env.HOME) }) ?? '';
    expect(keyFile.startsWith(String(served.env.npm_config_cache))).toBe(false);
    const info = await stat(keyFile);
    expect(info.mode & 0o777).toBe(0o600);
  });
});
