#!/usr/bin/env node
// Lockfile conformance: runs our inventory (dist/) over a shared corpus of lockfiles.
//
//   node scripts/conformance-lockfiles.js <real-world folder>
//
// 1. <folder>/scalibr: osv-scalibr's JavaScript lockfile test data with the inventories its Go
//    tests expect. Every case is either CLAIMED (must agree, or the script fails) or listed in
//    NOT_CLAIMED with the reason we differ on purpose.
// 2. <folder>/lockfiles: real lockfiles of AI projects. Each must parse, contain every AI
//    package the corpus index lists for it, and the inventory time is measured. An npm lockfile's
//    graph must be the same whether arborist's tree is built incrementally, as arborist builds it,
//    or with its named-edge reloads suspended (src/inventory/virtual-tree.ts).
// Exit 0 when everything claimed agrees, 1 on a regression; skips (exit 0) without the folder.
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const print = (line) => process.stdout.write(`${line}\n`);
const folder = process.argv[2];
if (!folder || !(await isDirectory(folder))) {
  print(`conformance-lockfiles: skipped, no corpus folder${folder ? ` at ${folder}` : ' given'}.`);
  process.exit(0);
}
const { readInventory } = await import(new URL('../dist/inventory/index.js', import.meta.url).href);
const { arboristGraph, validateNpmLockfile } = await import(new URL('../dist/inventory/npm.js', import.meta.url).href);
const { packagesOf } = await import(new URL('../dist/inventory/graph.js', import.meta.url).href);
const { JsonKeyLines } = await import(new URL('../dist/util/json-lines.js', import.meta.url).href);

// Cases whose expectation encodes a choice we make differently, on purpose.
const NOT_CLAIMED = {
  'pnpmlock/testdata/invalid-path.yaml':
    'scalibr reports the readable packages and an error; we report only the error (exit 2): a partial inventory would pass unchecked packages.',
  'pnpmlock/testdata/invalid-paths.yaml': 'same as invalid-path.yaml',
  'bunlock/testdata/bad-tuple.json5': 'same as invalid-path.yaml: a malformed package entry fails the whole audit.',
  'pnpmlock/testdata/empty.yaml': 'an empty lockfile (comments only) is an error for us (exit 2), as for npm lockfiles; scalibr reads it as 0 packages.',
  'bunlock/testdata/empty.json5': 'a bun.lock without lockfileVersion ({}) is an error for us; scalibr reads it as 0 packages.',
  'yarnlock/testdata/exclude-root.v2.lock':
    'scalibr lists non-root workspaces (@ws/ansi-regex@0.0.0-use.local) as packages; they are the project itself (importers) for us, as npm workspaces are.',
  'packagelockjson/testdata/commits.v1.json':
    'hand-made: lockfileVersion 2 with only a v1 "dependencies" tree and no "packages"; we reject it as malformed (npm would rewrite it).',
  'packagelockjson/testdata/files.v2.json':
    'hand-made: deps/etag/node_modules/abbrev says 2.3.4 but resolves the 1.0.9 tarball; arborist (the npm reader) does not place it in the tree.',
  'packagelockjson/testdata/both/package-lock.json':
    'scalibr reads package-lock.json as empty next to a shrinkwrap; we audit the shrinkwrap and only name the other file in a notice.',
};

const CANONICAL = { packagelockjson: 'package-lock.json', pnpmlock: 'pnpm-lock.yaml', yarnlock: 'yarn.lock', bunlock: 'bun.lock' };
const failures = [];
const counts = { claimed: 0, agreed: 0, skipped: 0 };

async function isDirectory(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function inventoryOf(lockfileText, fileName, manifest) {
  const dir = await mkdtemp(join(tmpdir(), 'aca-conformance-'));
  try {
    await writeFile(join(dir, fileName), lockfileText);
    await writeFile(join(dir, 'package.json'), manifest);
    const started = performance.now();
    const inventory = await readInventory(dir);
    return { inventory, ms: performance.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An npm lockfile's graph, built both ways: null when they agree, else what differs first. */
async function treeModesDiffer(lockfileText, fileName, manifest) {
  const dir = await mkdtemp(join(tmpdir(), 'aca-conformance-'));
  try {
    await writeFile(join(dir, fileName), lockfileText);
    await writeFile(join(dir, 'package.json'), manifest);
    const data = validateNpmLockfile(lockfileText, fileName);
    const keyLines = new JsonKeyLines(lockfileText, 2);
    const [fast, incremental] = [await arboristGraph(dir, fileName, data, keyLines, 'fast'), await arboristGraph(dir, fileName, data, keyLines, 'incremental')].map(graphView);
    if (fast.length !== incremental.length) return `${fast.length} lines against ${incremental.length}`;
    const index = fast.findIndex((line, at) => line !== incremental[at]);
    return index === -1 ? null : `${fast[index]} against ${incremental[index]}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function graphView(graph) {
  const packages = packagesOf(graph).map((pkg) => JSON.stringify(pkg));
  const edges = [...graph.nodes.keys(), ...graph.importers.map((importer) => importer.key)].flatMap((key) => graph.edgesFrom(key).map((edge) => `${key} -${edge.type}-> ${edge.name} ${edge.to}`));
  return [...packages, ...edges].sort();
}

function scalibrFileName(extractor, lockfile) {
  const base = lockfile.split('/').pop();
  if (extractor === 'packagelockjson' && (base === 'npm-shrinkwrap.json' || base === 'package-lock.json')) return base;
  return CANONICAL[extractor];
}

/** scalibr keeps one entry per name@version; git/folder dependencies carry version "" (and a commit). */
function agreement(expected, packages) {
  const want = new Map();
  for (const pkg of expected) want.set(`${pkg.name}@${pkg.version}`, pkg);
  const got = new Map();
  for (const pkg of packages) {
    const nonRegistry = pkg.source !== 'registry';
    const candidates = [`${pkg.name}@${pkg.version}`, ...(nonRegistry ? [`${pkg.name}@`] : [])];
    const match = candidates.find((key) => want.has(key) && !got.has(key));
    got.set(match ?? `${pkg.name}@${pkg.version}`, pkg);
  }
  const problems = [];
  for (const key of want.keys()) if (!got.has(key)) problems.push(`missing ${key}`);
  for (const key of got.keys()) if (!want.has(key)) problems.push(`unexpected ${key}`);
  for (const [key, pkg] of want) {
    const ours = got.get(key);
    if (!ours) continue;
    if (pkg.dev !== undefined && pkg.depGroups?.length && ours.dev !== pkg.dev) problems.push(`${key}: dev ${ours.dev}, expected ${pkg.dev}`);
    if (pkg.optional !== undefined && pkg.depGroups?.length && ours.optional !== pkg.optional) {
      problems.push(`${key}: optional ${ours.optional}, expected ${pkg.optional}`);
    }
  }
  return problems;
}

async function scalibr(root) {
  const index = JSON.parse(await readFile(join(root, 'expected', 'INDEX.json'), 'utf8'));
  const seen = new Set();
  for (const testCase of index.cases) {
    const id = testCase.lockfile;
    if (seen.has(id) || !testCase.expected_file_reflects_this_case) continue;
    seen.add(id);
    if (NOT_CLAIMED[id]) {
      counts.skipped++;
      continue;
    }
    counts.claimed++;
    const text = await readFile(join(root, id), 'utf8');
    const fileName = scalibrFileName(testCase.extractor, id);
    let outcome;
    try {
      outcome = await inventoryOf(text, fileName, '{"name":"conformance-case","version":"0.0.0"}\n');
    } catch (error) {
      if (testCase.want_err && error?.code === 'ELOCKFILE_PARSE') counts.agreed++;
      else failures.push(`scalibr ${id}: ${error?.code ?? 'crash'}: ${error?.message ?? error}`);
      continue;
    }
    if (testCase.want_err) {
      failures.push(`scalibr ${id}: expected an error (${testCase.want_err}), got ${outcome.inventory.packages.length} packages`);
      continue;
    }
    const expected = JSON.parse(await readFile(join(root, testCase.expected), 'utf8'));
    const problems = agreement(expected, outcome.inventory.packages);
    if (problems.length === 0) counts.agreed++;
    else failures.push(`scalibr ${id}: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? '; ...' : ''}`);
  }
}

const LOCKFILE_NAME = [
  [/pnpm-lock\.yaml$/, 'pnpm-lock.yaml'],
  [/yarn\.lock$/, 'yarn.lock'],
  [/bun\.lock$/, 'bun.lock'],
  [/bun\.lockb$/, 'bun.lockb'],
  [/npm-shrinkwrap\.json$/, 'npm-shrinkwrap.json'],
  [/package-lock\.json$/, 'package-lock.json'],
];

async function realWorld(root) {
  const ai = JSON.parse(await readFile(join(root, 'AI_PACKAGES.json'), 'utf8')).files ?? {};
  const rows = [];
  let slowest = { file: null, ms: 0, packages: 0 };
  for (const file of (await readdir(root)).sort()) {
    const target = LOCKFILE_NAME.find(([pattern]) => pattern.test(file))?.[1];
    if (!target) continue;
    counts.claimed++;
    const text = await readFile(join(root, file), 'utf8');
    const manifest = await readFile(join(root, `${file}.package.json`), 'utf8').catch(() => '{"name":"conformance-case"}\n');
    let outcome;
    try {
      // twice: the first run pays for module loading and JIT warm-up, as a CLI run does once
      await inventoryOf(text, target, manifest);
      outcome = await inventoryOf(text, target, manifest);
    } catch (error) {
      failures.push(`real-world ${file}: ${error?.code ?? 'crash'}: ${error?.message ?? error}`);
      continue;
    }
    const { inventory, ms } = outcome;
    if (target === 'package-lock.json' || target === 'npm-shrinkwrap.json') {
      const difference = await treeModesDiffer(text, target, manifest).catch((error) => `crash: ${error?.message ?? error}`);
      if (difference) failures.push(`real-world ${file}: the linear tree build differs from arborist's: ${difference}`);
    }
    const ids = new Set(inventory.packages.map((pkg) => `${pkg.name}@${pkg.version}`));
    const missing = (ai[file]?.ai_related_packages ?? []).filter((id) => !ids.has(id));
    const direct = inventory.packages.filter((pkg) => pkg.direct).length;
    rows.push(`  ${file}: ${inventory.lockfile.format} ${inventory.lockfile.version}, ${inventory.packages.length} packages (${direct} direct), ${ms.toFixed(0)} ms`);
    if (inventory.packages.length === 0) failures.push(`real-world ${file}: no packages`);
    if (missing.length > 0) failures.push(`real-world ${file}: AI packages missing from the inventory: ${missing.join(', ')}`);
    else counts.agreed++;
    if (inventory.packages.length > slowest.packages) slowest = { file, ms, packages: inventory.packages.length };
  }
  print(rows.join('\n'));
  if (slowest.file) {
    const budget = 2000;
    print(`  largest: ${slowest.file}, ${slowest.packages} packages inventoried in ${slowest.ms.toFixed(0)} ms (budget ${budget} ms)`);
    if (slowest.ms > budget) failures.push(`real-world ${slowest.file}: inventory took ${slowest.ms.toFixed(0)} ms, over the ${budget} ms budget`);
  }
}

const base = resolve(folder);
const scalibrRoot = (await isDirectory(join(base, 'scalibr'))) ? join(base, 'scalibr') : null;
const lockfilesRoot = (await isDirectory(join(base, 'lockfiles'))) ? join(base, 'lockfiles') : null;
if (!scalibrRoot && !lockfilesRoot) {
  print(`conformance-lockfiles: skipped, ${base} has neither scalibr/ nor lockfiles/.`);
  process.exit(0);
}
if (scalibrRoot) await scalibr(scalibrRoot);
if (lockfilesRoot) await realWorld(lockfilesRoot);
for (const [id, reason] of Object.entries(NOT_CLAIMED)) print(`  not claimed: ${id}: ${reason}`);
print(`conformance-lockfiles: ${counts.agreed}/${counts.claimed} claimed cases agree, ${counts.skipped} not claimed.`);
if (failures.length > 0) {
  for (const failure of failures) print(`  FAIL ${failure}`);
  process.exit(1);
}

