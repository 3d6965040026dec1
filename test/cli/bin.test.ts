import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serveFixtureProject } from '../helpers/ai-app.js';
import { cli } from '../helpers/cli.js';

// runs the built CLI (`npm test` builds before the suite)
const BIN = fileURLToPath(new URL('../../bin/ai-chain-audit.js', import.meta.url));

function run(args: string[], options: { closeStdoutEarly?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = options.env ? { PATH: process.env.PATH, NO_COLOR: '1', ...options.env } : process.env;
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    // a reader that is gone before the first byte, like `| head` after its line
    if (options.closeStdoutEarly) child.stdout.destroy();
    else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the installed command', () => {
  it('prints its version through the bin shim', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('audits a project against a registry exactly as the in-process CLI does', async () => {
    const served = await serveFixtureProject('projects/ai-app');
    try {
      const args = [served.dir, '--json', '--now', '2026-03-24T12:00:00.000Z', '--fail-on', 'none'];
      const installed = await run(args, { env: served.env });
      // a cache of its own, so the second run is as cold as the first
      const inProcess = await cli(args, { ...served.env, npm_config_cache: `${served.env.npm_config_cache}-second` });
      expect(installed.stderr).toBe('');
      expect(installed.code).toBe(0);
      const report = (text: string) => {
        const { generatedAt: _generatedAt, ...rest } = JSON.parse(text) as Record<string, unknown>;
        return rest;
      };
      expect(report(installed.stdout)).toEqual(report(inProcess.stdout));
      expect((JSON.parse(installed.stdout) as { summary: { packages: number } }).summary.packages).toBeGreaterThan(100);
    } finally {
      await served.close();
    }
  });

  it('loads no network or lockfile machinery before a run needs it (the document prefetch waits on this start-up)', async () => {
    const main = new URL('../../dist/bin/main.js', import.meta.url).href;
    // what the command line's module graph pulls in before it has parsed its arguments
    const script = `import { createRequire } from 'node:module'; await import(${JSON.stringify(main)}); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const loaded = await new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(JSON.parse(stdout) as string[]));
    });
    const packages = new Set(loaded.flatMap((file) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1]?.replace('\\', '/') ?? []));
    expect(packages.has('@npmcli/config')).toBe(true);
    for (const heavy of ['@npmcli/agent', 'socks-proxy-agent', 'make-fetch-happen', 'cacache', '@npmcli/arborist', 'pacote', 'sigstore', 'npm-package-arg', 'hosted-git-info']) expect(packages.has(heavy), heavy).toBe(false);
  });

  it('ends at once, with exit 2 and one line, for a project that is not there', async () => {
    const started = Date.now();
    const result = await run(['/nonexistent/project/dir']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nonexistent/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops quietly when the reader closes the pipe (ai-chain-audit catalog | head -1)', async () => {
    const result = await run(['catalog'], { closeStdoutEarly: true });
    expect(result.stderr).not.toMatch(/EPIPE|at .*\(/);
    expect(result.code).toBe(0);
  });
});
