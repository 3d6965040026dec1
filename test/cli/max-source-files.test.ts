import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aca-max-source-'));
  const manifest = { name: 'capped', version: '1.0.0' };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ ...manifest, lockfileVersion: 3, requires: true, packages: { '': manifest } }));
  for (const name of ['a.ts', 'b.ts', 'c.ts']) await writeFile(join(dir, name), `export const ${name[0]} = 1;\n`);
  await writeFile(join(dir, 'z-ask.ts'), "export const ask = () => fetch('https://openrouter.ai/api/v1/chat/completions', { method: 'POST' });\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--max-source-files', () => {
  it('caps the files the AI analysis parses, reading the one with an endpoint first, and says how many were left out', async () => {
    const run = await cli([dir, '--offline', '--json', '--fail-on', 'none', '--max-source-files', '1']);
    const report = JSON.parse(run.stdout) as { notices: string[]; aiTools: Array<{ name: string; kind: string }> };
    expect(report.aiTools).toContainEqual(expect.objectContaining({ name: 'openrouter.ai', kind: 'endpoint' }));
    expect(report.notices).toContainEqual(expect.stringMatching(/^AI analysis: 3 source file\(s\) over the cap were not read .*--max-source-files\.$/));
    const raised = await cli([dir, '--offline', '--json', '--fail-on', 'none', '--max-source-files', '10']);
    expect((JSON.parse(raised.stdout) as { notices: string[] }).notices.join('\n')).not.toMatch(/over the cap/);
  });

  it('rejects a value that is not a positive whole number in one line', async () => {
    const run = await cli([dir, '--max-source-files', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--max-source-files/);
  });
});
