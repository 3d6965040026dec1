import { createServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import type { RegistryServer } from '../helpers/registry-server.js';
import { closedPort } from './setup.js';

const NOW = '2026-03-24T12:00:00.000Z';

let served: ServedProject;
let registry: RegistryServer;
let project: { dir: string };
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  served = await serveFixtureProject('projects/ai-app', { publishedAt: () => '2025-01-01T00:00:00.000Z' });
  ({ registry, env } = served);
  project = { dir: served.dir };
});

afterEach(async () => {
  await served.close();
});

describe('registry faults', () => {
  it('names a package whose document is a 500 and one whose document is garbage, and does not exit 0', async () => {
    registry.setFault('express', { kind: 'status', status: 500 });
    registry.setFault('etag', { kind: 'garbage' });
    const run = await cli([project.dir, '--json', '--now', NOW, '--registry', registry.url, '--fail-on', 'none'], env);
    const report = JSON.parse(run.stdout) as Report;
    const scopes = report.errors.map((error) => error.scope);
    expect(scopes).toContain('express@4.22.3');
    expect(scopes).toContain('etag@1.8.1');
    expect(report.errors.find((error) => error.scope === 'express@4.22.3')?.message).toMatch(/HTTP 500/);
    expect(report.errors.find((error) => error.scope === 'etag@1.8.1')?.message).toMatch(/malformed/);
    expect(report.packages.find((pkg) => pkg.name === 'express')?.facts).toMatchObject({ status: 'error', publishedAt: null });
    expect(run.stderr).toMatch(/express@4\.22\.3: registry facts unknown: HTTP 500/);
    expect(report.summary.passed).toBe(false);
    expect(run.code).toBe(2);
    // the 500 was retried, everything else fetched once
    expect(registry.requests.filter((request) => request.path === '/express').length).toBeGreaterThan(1);
  });

  it('treats an oversized document as an error for that package, not a crash', async () => {
    registry.setFault('ms', { kind: 'oversized', bytes: 120 * 1024 * 1024 });
    const run = await cli([project.dir, '--json', '--now', NOW, '--registry', registry.url], env);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.errors.filter((error) => error.package?.name === 'ms').map((error) => error.message).join(' ')).toMatch(/exceeds/);
    expect(run.code).toBe(2);
  });

  it('ends a run against a dead registry with exit 2 and one line naming it', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/`;
    const started = Date.now();
    const run = await cli([project.dir, '--registry', dead], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`Cannot reach the registry ${dead}`);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('gives up on a registry that accepts connections but never answers, within the configured timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/`;
    try {
      const started = Date.now();
      const fast = { ...env, npm_config_fetch_timeout: '400', npm_config_fetch_retry_mintimeout: '10', npm_config_fetch_retry_maxtimeout: '20' };
      const run = await cli([project.dir, '--registry', url], fast);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`Cannot reach the registry ${url}`);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
