import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { packument } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';

let registry: RegistryServer | undefined;
let home: string | undefined;
afterEach(async () => {
  await registry?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/** A one-package project whose registry holds the document back for `holdMs` before answering. */
async function project(holdMs: number): Promise<{ args: string[]; env: NodeJS.ProcessEnv }> {
  home = await mkdtemp(join(tmpdir(), 'aca-fetch-timeout-'));
  const dir = join(home, 'project');
  await mkdir(dir);
  const doc = packument('left-pad', [{ version: '1.3.0', publishedAt: '2026-01-01T00:00:00.000Z' }]);
  registry = await startRegistry({ packuments: { 'left-pad': doc }, keys: null, faults: { 'left-pad': { kind: 'slow', ms: holdMs } } });
  const integrity = doc.versions['1.3.0']?.dist.integrity;
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0', resolved: `${registry.url}left-pad/-/left-pad-1.3.0.tgz`, integrity } } }));
  return { args: [dir, '--json', '--fail-on', 'none', '--registry', registry.url], env: { npm_config_cache: join(home, 'cache'), npm_config_userconfig: join(home, 'npmrc'), HOME: home } };
}

describe('--fetch-timeout', () => {
  it('a registry that sends nothing for longer than the limit has stalled: asked twice, then reported', async () => {
    const { args, env } = await project(700);
    const run = await cli([...args, '--fetch-timeout', '0.2'], env);
    // its only document never came, so the registry counts as unreachable
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no data from .*left-pad for 200 ms \(stalled\)/);
    const asked = registry?.requests.filter((request) => request.path === '/left-pad') ?? [];
    // the stalled attempt and its one retry, back to back, and nothing after (npm's agent timing
    // the socket out at the same moment once made a third, 4 s later)
    expect(asked).toHaveLength(2);
    expect((asked[1]?.at ?? 0) - (asked[0]?.at ?? 0)).toBeLessThan(2_000);
  });

  it('the same wait inside the limit is no stall', async () => {
    const { args, env } = await project(700);
    const run = await cli([...args, '--fetch-timeout', '3'], env);
    expect((JSON.parse(run.stdout) as { errors: unknown[] }).errors).toEqual([]);
  });

  it('refuses a limit that is not a positive number of seconds', async () => {
    const { args, env } = await project(0);
    const run = await cli([...args, '--fetch-timeout', '0'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/fetch-timeout/);
  });
});
