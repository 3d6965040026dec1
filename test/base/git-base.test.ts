import { mkdir, mkdtemp, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { materializeGitBase } from '../../src/base/git-base.js';
import { readInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/model.js';
import { materializeFixture } from '../helpers/fixtures.js';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function repo(): Promise<TestRepo> {
  const made = await makeRepo();
  cleanups.push(made.cleanup);
  return made;
}

async function fixture(name: string): Promise<string> {
  const made = await materializeFixture(`lockfiles/${name}`);
  cleanups.push(made.cleanup);
  return made.dir;
}

function shape(inventory: Inventory) {
  return {
    lockfile: inventory.lockfile && { file: inventory.lockfile.file, format: inventory.lockfile.format, version: inventory.lockfile.version },
    importers: inventory.importers.map((importer) => ({ path: importer.path, name: importer.name, declared: importer.declared.map((dep) => `${dep.name}@${dep.spec}:${dep.locked?.version ?? '-'}`) })),
    packages: inventory.packages.map((pkg) => ({ id: pkg.id, integrity: pkg.integrity, direct: pkg.direct, dev: pkg.dev, optional: pkg.optional, workspaces: pkg.workspaces })),
  };
}

/** The lockfile each fixture holds. */
const LOCKFILES: Record<string, string> = {
  'npm-v3-basic': 'package-lock.json',
  'npm-workspaces': 'package-lock.json',
  'pnpm-v9': 'pnpm-lock.yaml',
  'yarn-v1': 'yarn.lock',
  'yarn-berry': 'yarn.lock',
  bun: 'bun.lock',
};

describe.each(Object.keys(LOCKFILES))('base revision of a %s project in a subfolder of the repository', (name) => {
  it('reads the same inventory as the project had at that commit, without touching the work tree or the index', async () => {
    const source = await fixture(name);
    const git = await repo();
    await git.copyIn(source, 'apps/project');
    await writeFile(join(git.dir, 'README.md'), '# monorepo\n');
    const base = git.commit('base');
    // the pull request: the lockfile goes, the manifest changes, and more is left uncommitted
    await unlink(join(git.dir, 'apps/project', LOCKFILES[name] as string));
    await writeFile(join(git.dir, 'apps/project/package.json'), JSON.stringify({ name: 'changed', dependencies: { 'left-pad': '1.3.0' } }));
    git.commit('head');
    await writeFile(join(git.dir, 'apps/project/package.json'), '{ not json');
    const statusBefore = git.git('status', '--porcelain=v1', '--untracked-files=all');

    const side = await materializeGitBase(join(git.dir, 'apps/project'), 'HEAD~1');
    cleanups.push(side.cleanup);

    expect(side.commit).toBe(base);
    expect(side.ref).toBe('HEAD~1');
    expect((await stat(side.dir)).mode & 0o777).toBe(0o700);
    const expected = shape(await readInventory(source));
    expect(expected.packages.length).toBeGreaterThan(0);
    expect(shape(await readInventory(side.dir))).toEqual(expected);
    expect(git.git('status', '--porcelain=v1', '--untracked-files=all')).toBe(statusBefore);
    expect(git.git('rev-parse', 'HEAD~1')).toBe(base);
    await side.cleanup();
    await expect(stat(side.dir)).rejects.toThrow();
  });
});

describe('base revision: what is written out', () => {
  it('writes the manifests, the lockfile and the files the AI analysis reads, nothing else', async () => {
    const git = await repo();
    await git.copyIn(await fixture('npm-v3-basic'), '.');
    await mkdir(join(git.dir, 'src'), { recursive: true });
    await writeFile(join(git.dir, 'src/llm.ts'), "import OpenAI from 'openai';\nexport const client = new OpenAI({ baseURL: 'https://gateway.example.test/v1' });\n");
    await writeFile(join(git.dir, 'src/llm.test.ts'), 'test');
    await writeFile(join(git.dir, 'notes.md'), 'not read');
    await writeFile(join(git.dir, 'secret.pem'), 'not read');
    git.commit('base');

    const side = await materializeGitBase(git.dir, 'main');
    cleanups.push(side.cleanup);
    expect((await readdir(side.dir, { recursive: true })).sort()).toEqual(['package-lock.json', 'package.json', 'src', 'src/llm.ts']);
    expect(side.notices).toEqual([]);
  });

  it('a base without a lockfile: every package counts as added, and a notice says why', async () => {
    const git = await repo();
    await writeFile(join(git.dir, 'package.json'), JSON.stringify({ name: 'early', dependencies: { 'is-number': '^7.0.0' } }));
    git.commit('no lockfile yet');
    await git.copyIn(await fixture('npm-v3-basic'), '.');
    git.commit('lockfile');

    const side = await materializeGitBase(git.dir, 'HEAD~1');
    cleanups.push(side.cleanup);
    expect(side.notices).toEqual(['Base HEAD~1 has no lockfile: every locked package counts as added.']);
    const inventory = await readInventory(side.dir);
    expect(inventory.lockfile).toBeNull();
    expect(inventory.packages).toEqual([]);
  });
});

describe('base revision: one-line errors', () => {
  it('a folder outside git', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aca-nogit-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'package.json'), '{}');
    await expect(materializeGitBase(dir, 'main')).rejects.toThrow(/^--base needs a git repository, and .* is not in one; use --base-lockfile <file> for a tree outside git\.$/);
  });

  it('a ref that names no commit', async () => {
    const git = await repo();
    await writeFile(join(git.dir, 'package.json'), '{}');
    git.commit('one');
    await expect(materializeGitBase(git.dir, 'no-such-branch')).rejects.toThrow(/^--base no-such-branch: no such commit in .*\.$/);
  });

  it('a ref that would be read as an option', async () => {
    const git = await repo();
    await expect(materializeGitBase(git.dir, '--output=/tmp/x')).rejects.toMatchObject({ code: 'EUSAGE', message: '--base "--output=/tmp/x" is not a git revision.' });
  });

  it('a project folder that did not exist at the base', async () => {
    const git = await repo();
    await writeFile(join(git.dir, 'README.md'), 'x');
    git.commit('one');
    await git.copyIn(await fixture('npm-v3-basic'), 'app');
    git.commit('two');
    await expect(materializeGitBase(join(git.dir, 'app'), 'HEAD~1')).rejects.toThrow('--base HEAD~1: the project folder app does not exist at that revision.');
  });

  it('a base without package.json', async () => {
    const git = await repo();
    await writeFile(join(git.dir, 'README.md'), 'x');
    git.commit('one');
    await git.copyIn(await fixture('npm-v3-basic'), '.');
    git.commit('two');
    await expect(materializeGitBase(git.dir, 'HEAD~1')).rejects.toThrow('--base HEAD~1: there is no package.json in the repository root at that revision.');
  });
});
