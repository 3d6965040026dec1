import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/model.js';

// Hand-made entries in the shapes each manager writes for git, tarball, folder and patched
// dependencies (the real-manager fixtures cover registry packages; these cover the rest).
const SHA = '98e8ff1da1a89f93d1397a24d7413ed15421c139';
const SRI = 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aca-sources-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<Inventory> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return readInventory(dir);
}

const sources = (inventory: Inventory) => Object.fromEntries(inventory.packages.map((p) => [p.name, { source: p.source, version: p.version, resolved: p.resolved }]));

describe('pnpm 9', () => {
  it('git (codeload archive), remote tarball, injected folder, patched package', async () => {
    const inventory = await project({
      'package.json': JSON.stringify({ name: 'p', dependencies: { 'is-number': 'github:jonschlinkert/is-number', remote: 'https://tarballs.example.test/remote-1.0.0.tgz', local: 'file:./vendor/local', ms: '2.1.3' } }),
      'vendor/local/package.json': JSON.stringify({ name: 'local', version: '1.0.0' }),
      'pnpm-lock.yaml': `lockfileVersion: '9.0'

patchedDependencies:
  ms@2.1.3: 0123abcd

importers:

  .:
    dependencies:
      is-number:
        specifier: github:jonschlinkert/is-number
        version: https://codeload.github.com/jonschlinkert/is-number/tar.gz/${SHA}
      local:
        specifier: file:./vendor/local
        version: file:vendor/local
      ms:
        specifier: 2.1.3
        version: 2.1.3(patch_hash=0123abcd)
      remote:
        specifier: https://tarballs.example.test/remote-1.0.0.tgz
        version: '@tarballs.example.test/remote-1.0.0.tgz'

packages:

  is-number@https://codeload.github.com/jonschlinkert/is-number/tar.gz/${SHA}:
    resolution: {tarball: https://codeload.github.com/jonschlinkert/is-number/tar.gz/${SHA}}
    version: 7.0.0

  local@file:vendor/local:
    resolution: {directory: vendor/local, type: directory}

  ms@2.1.3:
    resolution: {integrity: ${SRI}}

  remote@https://tarballs.example.test/remote-1.0.0.tgz:
    resolution: {tarball: https://tarballs.example.test/remote-1.0.0.tgz}
    version: 1.0.0

snapshots:

  is-number@https://codeload.github.com/jonschlinkert/is-number/tar.gz/${SHA}: {}

  local@file:vendor/local: {}

  ms@2.1.3(patch_hash=0123abcd): {}

  remote@https://tarballs.example.test/remote-1.0.0.tgz: {}
`,
    });
    expect(sources(inventory)).toMatchObject({
      'is-number': { source: 'git', version: '7.0.0' },
      local: { source: 'directory', resolved: 'file:vendor/local' },
      ms: { source: 'registry', version: '2.1.3', resolved: null },
    });
    expect(inventory.notices.join('\n')).toMatch(/local patches \(patchedDependencies\) to ms@2\.1\.3/);
  });

  it('an unsupported lockfileVersion is a parse error naming the file', async () => {
    await expect(project({ 'package.json': '{"name":"p"}', 'pnpm-lock.yaml': "lockfileVersion: '3'\n" })).rejects.toMatchObject({
      code: 'ELOCKFILE_PARSE',
      message: expect.stringMatching(/pnpm-lock\.yaml: lockfileVersion "3"/),
    });
  });
});

describe('yarn 1', () => {
  it('git, remote tarball, folder and a sha1-only entry', async () => {
    const inventory = await project({
      'package.json': JSON.stringify({ name: 'y', dependencies: { 'tiny-git-pkg': 'git+https://git.example.test/tiny.git#v1.0.0', remote: 'https://tarballs.example.test/remote-1.0.0.tgz', local: 'file:./vendor/local', old: '1.0.0' } }),
      'yarn.lock': `# yarn lockfile v1


"local@file:./vendor/local":
  version "1.0.0"

old@1.0.0:
  version "1.0.0"
  resolved "https://registry.example.test/old/-/old-1.0.0.tgz#${SHA}"

"remote@https://tarballs.example.test/remote-1.0.0.tgz":
  version "1.0.0"
  resolved "https://tarballs.example.test/remote-1.0.0.tgz"

"tiny-git-pkg@git+https://git.example.test/tiny.git#v1.0.0":
  version "1.0.0"
  resolved "git+https://git.example.test/tiny.git#${SHA}"
`,
    });
    expect(sources(inventory)).toEqual({
      local: { source: 'directory', version: '1.0.0', resolved: 'file:./vendor/local' },
      old: { source: 'registry', version: '1.0.0', resolved: 'https://registry.example.test/old/-/old-1.0.0.tgz' },
      remote: { source: 'remote', version: '1.0.0', resolved: 'https://tarballs.example.test/remote-1.0.0.tgz' },
      'tiny-git-pkg': { source: 'git', version: '1.0.0', resolved: `git+https://git.example.test/tiny.git#${SHA}` },
    });
    expect(inventory.packages.find((p) => p.name === 'old')?.integrity).toBe(`sha1-${Buffer.from(SHA, 'hex').toString('base64')}`);
  });
});

describe('yarn berry', () => {
  it('patch: of an npm package stays a registry package; git and file: are classified', async () => {
    const inventory = await project({
      'package.json': JSON.stringify({ name: 'b', dependencies: { resolve: '^1.22.0', tiny: 'https://git.example.test/tiny.git', local: 'file:./vendor/local.tgz' } }),
      'yarn.lock': `__metadata:
  version: 8
  cacheKey: 10c0

"b@workspace:.":
  version: 0.0.0-use.local
  resolution: "b@workspace:."
  dependencies:
    local: "file:./vendor/local.tgz"
    resolve: "patch:resolve@npm%3A^1.22.0#~builtin<compat/resolve>"
    tiny: "https://git.example.test/tiny.git"
  languageName: unknown
  linkType: soft

"local@file:./vendor/local.tgz::locator=b%40workspace%3A.":
  version: 1.0.0
  resolution: "local@file:./vendor/local.tgz#./vendor/local.tgz::hash=abc&locator=b%40workspace%3A."
  checksum: 10c0/aa
  languageName: node
  linkType: hard

"resolve@npm:1.22.8":
  version: 1.22.8
  resolution: "resolve@npm:1.22.8"
  checksum: 10c0/bb
  languageName: node
  linkType: hard

"resolve@patch:resolve@npm%3A^1.22.0#~builtin<compat/resolve>":
  version: 1.22.8
  resolution: "resolve@patch:resolve@npm%3A1.22.8#~builtin<compat/resolve>::version=1.22.8&hash=c3c19d"
  checksum: 10c0/cc
  languageName: node
  linkType: hard

"tiny@https://git.example.test/tiny.git":
  version: 1.0.0
  resolution: "tiny@https://git.example.test/tiny.git#commit=${SHA}"
  checksum: 10c0/dd
  languageName: node
  linkType: hard
`,
    });
    expect(inventory.packages.filter((p) => p.name === 'resolve')).toHaveLength(1);
    expect(sources(inventory)).toEqual({
      local: { source: 'file', version: '1.0.0', resolved: 'file:vendor/local.tgz' },
      resolve: { source: 'registry', version: '1.22.8', resolved: null },
      tiny: { source: 'git', version: '1.0.0', resolved: `https://git.example.test/tiny.git#commit=${SHA}` },
    });
    expect(inventory.packages.find((p) => p.name === 'resolve')).toMatchObject({ direct: true, instances: 2 });
  });
});

describe('bun.lock', () => {
  it('github and folder dependencies have no recorded version and are not registry packages', async () => {
    const inventory = await project({
      'package.json': JSON.stringify({ name: 'n', dependencies: { 'is-number': 'github:jonschlinkert/is-number', etag: 'file:./deps/etag' } }),
      'bun.lock': `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "n",
      "dependencies": {
        "etag": "file:./deps/etag",
        "is-number": "github:jonschlinkert/is-number",
      },
    },
  },
  "packages": {
    "etag": ["etag@file:deps/etag", {}],

    "is-number": ["is-number@github:jonschlinkert/is-number#98e8ff1", {}, "jonschlinkert-is-number-98e8ff1"],
  }
}
`,
    });
    expect(sources(inventory)).toEqual({
      etag: { source: 'directory', version: '', resolved: 'file:deps/etag' },
      'is-number': { source: 'git', version: '', resolved: 'github:jonschlinkert/is-number#98e8ff1' },
    });
  });
});
