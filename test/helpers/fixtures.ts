import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { substituteRegistry } from './placeholders.js';

export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

const TEXT_FILE = /\.(json|ya?ml|lock|toml|txt|npmrc|yarnrc)$|^\.npmrc$|^\.yarnrc/;

/**
 * Copies a fixture folder into a fresh temp dir, writing the registry URL over the
 * `@REGISTRY@` placeholders, so tests read it as a user's project would be.
 * The copy keeps its parent folder name layout: siblings like `<case>-outside` come along.
 */
export async function materializeFixture(relativePath: string, options: { registry?: string } = {}): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'aca-fixture-'));
  const name = relativePath.split('/').pop() as string;
  const parent = join(FIXTURES, relativePath, '..');
  for (const entry of await readdir(parent)) {
    if (entry === name || entry.startsWith(`${name}-`)) await cp(join(parent, entry), join(base, entry), { recursive: true });
  }
  const dir = join(base, name);
  await substituteTree(dir, options.registry ?? 'https://registry.example.test/');
  return { dir, cleanup: () => rm(base, { recursive: true, force: true }) };
}

async function substituteTree(dir: string, registry: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    const info = await stat(path);
    if (info.isDirectory()) await substituteTree(path, registry);
    else if (TEXT_FILE.test(entry)) {
      const text = await readFile(path, 'utf8');
      const replaced = substituteRegistry(text, registry);
      if (replaced !== text) await writeFile(path, replaced);
    }
  }
}

export interface ExpectedInventory {
  lockfile: string;
  format: string;
  lockfileVersion: number | string;
  packages: Array<{ name: string; version: string; direct: boolean; dev: boolean; optional: boolean }>;
}

export async function readExpected(relativePath: string): Promise<ExpectedInventory> {
  return JSON.parse(await readFile(join(FIXTURES, relativePath, 'expected.json'), 'utf8')) as ExpectedInventory;
}
