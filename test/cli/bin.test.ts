import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// runs the built CLI (`npm test` builds before the suite)
const BIN = fileURLToPath(new URL('../../bin/ai-chain-audit.js', import.meta.url));

function run(args: string[], options: { closeStdoutEarly?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('stops quietly when the reader closes the pipe (ai-chain-audit catalog | head -1)', async () => {
    const result = await run(['catalog'], { closeStdoutEarly: true });
    expect(result.stderr).not.toMatch(/EPIPE|at .*\(/);
    expect(result.code).toBe(0);
  });
});
