import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandedSize } from '../../src/inventory/yaml-expansion.js';
import { cli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aca-yaml-bomb-'));
  const count = 3_000;
  const deps = Array.from({ length: count }, (_, index) => `      dep-${index}: 1.0.0`).join('\n');
  const packages = Array.from({ length: count }, (_, index) => `  dep-${index}@1.0.0:\n    resolution: {integrity: sha512-AAAA}`).join('\n');
  const snapshots = Array.from({ length: count }, (_, index) => `  dep-${index}@1.0.0:\n    dependencies: *all`).join('\n');
  const lockfile = [
    "lockfileVersion: '9.0'",
    'importers:',
    '  .:',
    '    dependencies:',
    '      dep-0: {specifier: 1.0.0, version: 1.0.0}',
    'x-shared:',
    '  all: &all',
    deps.replace(/^ {6}/gm, '    '),
    'packages:',
    packages,
    'snapshots:',
    snapshots,
    '',
  ].join('\n');
  await writeFile(join(dir, 'pnpm-lock.yaml'), lockfile);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'bomb', version: '1.0.0', dependencies: { 'dep-0': '1.0.0' } }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('YAML alias expansion in pnpm lockfiles', () => {
  it('counts shared values once per use, linearly, and stops at the limit', () => {
    const shared = { a: 1, b: 2 };
    expect(expandedSize({ x: shared, y: shared }, 1_000)).toBe(7);
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(expandedSize(cycle, 1_000)).toBeGreaterThan(1_000);
  });

  it('a lockfile reusing one alias for every snapshot is a one-line error, fast', async () => {
    const started = performance.now();
    const run = await cli([dir, '--offline']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ai-chain-audit: .*pnpm-lock\.yaml: expands its YAML aliases to far more values than the file holds \(an alias bomb\); pnpm never writes aliases\.\n$/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
