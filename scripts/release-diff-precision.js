#!/usr/bin/env node
// Maintainer script (uses the network; not part of `npm test`). Measures issue 18's "≤ 1% of clean
// release pairs flagged" for the release-code-changed rule:
//
//   1. for every package named in bench/release-diff-packages.txt, reads its packument from the
//      registry npm is configured with, and picks the `latest` version and the highest release
//      below it (with `--depth N`, the last N such pairs of consecutive releases);
//   2. downloads both tarballs once into a cache folder outside the repository (checked against
//      the packument's integrity on every read);
//   3. runs the BUILT analyzer (dist/release-diff) on each pair and prints how many are flagged,
//      listing each with its reasons and evidence.
//
// Exits 1 above 1%.
//
//   npm run build && node scripts/release-diff-precision.js [--packages <file>] [--cache <dir>] [--limit N] [--depth N] [--fetch-only] [--verbose]
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const { fetch } = globalThis;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const THRESHOLD = 0.01;
const CONCURRENCY = 6;
const MAX_TARBALL_BYTES = 50 * 1024 * 1024;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const print = (line = '') => process.stdout.write(`${line}\n`);
const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);

const listFile = resolve(option('--packages', join(ROOT, 'bench/release-diff-packages.txt')));
const cache = resolve(option('--cache', join(homedir(), '.cache/ai-chain-audit-bench/release-diff')));
const limit = Number(option('--limit', 'Infinity'));
const depth = Number(option('--depth', '1'));
const fetchOnly = args.includes('--fetch-only');
const verbose = args.includes('--verbose');

const registry = (await promisify(execFile)('npm', ['config', 'get', 'registry'])).stdout.trim().replace(/\/?$/, '/');
const names = (await readFile(listFile, 'utf8')).split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')).slice(0, limit);
const analyzer = fetchOnly ? null : {
  ...(await import(join(ROOT, 'dist/release-diff/tarball-files.js'))),
  ...(await import(join(ROOT, 'dist/release-diff/analyze.js'))),
};

const results = [];
const failures = [];
let next = 0;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  for (let name = names[next++]; name; name = names[next++]) {
    try {
      const pairs = await releasePairs(name);
      if (pairs.length === 0) failures.push({ name, message: 'fewer than two releases' });
      for (const [rank, pair] of pairs.entries()) await analysePair(name, pair, rank);
    } catch (error) {
      failures.push({ name, message: error instanceof Error ? error.message : String(error) });
    }
  }
}));

async function analysePair(name, pair, rank) {
    try {
      const [current, previous] = await Promise.all([tarball(name, pair.current), tarball(name, pair.previous)]);
      if (!analyzer) return;
      const started = performance.now();
      const reads = await Promise.all([analyzer.readPackageTarball(current, pair.current.integrity), analyzer.readPackageTarball(previous, pair.previous.integrity)]);
      const failed = reads.find((read) => !read.ok);
      if (failed) {
        failures.push({ name: `${name}@${pair.current.version}`, message: failed.message });
        return;
      }
      const diff = analyzer.analyzeRelease({ name, version: pair.current.version, previousVersion: pair.previous.version, current: reads[0].contents, previous: reads[1].contents });
      results.push({ diff, rank, ms: performance.now() - started, bytes: current.length + previous.length });
    } catch (error) {
      failures.push({ name: `${name}@${pair.current.version}`, message: error instanceof Error ? error.message : String(error) });
    }
}

print(`registry: npm's configured registry; cache: ${cache}`);
print(`${names.length} packages listed, ${results.length} release pairs analysed (last ${depth} per package), ${failures.length} not analysed`);
for (const failure of failures) print(`  not analysed: ${failure.name}: ${failure.message}`);
if (!analyzer) process.exit(0);
results.sort((a, b) => a.diff.name.localeCompare(b.diff.name));
const flagged = results.filter((result) => result.diff.severity !== null);
const high = flagged.filter((result) => result.diff.severity === 'high');
const truncated = results.filter((result) => result.diff.truncated);
const totalMs = results.reduce((sum, result) => sum + result.ms, 0);
const totalBytes = results.reduce((sum, result) => sum + result.bytes, 0);
print(`flagged: ${flagged.length} of ${results.length} (${pct(flagged.length, results.length)}); high: ${high.length} (${pct(high.length, results.length)})`);
const latest = results.filter((result) => result.rank === 0);
print(`latest release against the one before: ${latest.filter((result) => result.diff.severity !== null).length} of ${latest.length} flagged`);
print(`pairs with a file past a bound: ${truncated.length}; analysis time ${(totalMs / 1000).toFixed(1)} s for ${(totalBytes / 1e6).toFixed(1)} MB of tarballs`);
for (const { diff } of flagged) {
  print(`  ${diff.severity} ${diff.name} ${diff.previousVersion} -> ${diff.version}: ${diff.reasons.join('; ')}`);
  for (const signal of diff.added.filter((item) => verbose || !['endpoint', 'network-send', 'secret-key'].includes(item.kind)).slice(0, 6)) {
    print(`      ${signal.key.slice(0, 60)} ${signal.file}:${signal.line} ${signal.excerpt}`);
  }
}
if (verbose) {
  const addedKinds = new Map();
  for (const { diff } of results) for (const signal of diff.added) addedKinds.set(signal.kind, (addedKinds.get(signal.kind) ?? 0) + 1);
  print(`signals added across all pairs: ${JSON.stringify(Object.fromEntries(addedKinds))}`);
}
process.exit(flagged.length / Math.max(1, results.length) > THRESHOLD ? 1 : 0);

async function releasePairs(name) {
  const doc = await cached(join(cache, 'packuments', `${encodeURIComponent(name)}.json`), async () => {
    const response = await fetch(`${registry}${name.replace('/', '%2f')}`, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
    if (!response.ok) throw new Error(`packument: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  });
  const packument = JSON.parse(doc.toString('utf8'));
  const versions = Object.keys(packument.versions ?? {});
  const latest = packument['dist-tags']?.latest;
  if (!latest || !packument.versions[latest]) return [];
  const { default: semver } = await import('semver');
  const earlier = versions.filter((version) => semver.valid(version) && !semver.prerelease(version) && semver.lt(version, latest)).sort(semver.rcompare);
  const chain = [latest, ...earlier].slice(0, depth + 1);
  const view = (version) => ({ version, integrity: packument.versions[version].dist?.integrity ?? null });
  return chain.slice(0, -1).map((version, at) => ({ current: view(version), previous: view(chain[at + 1]) }));
}

async function tarball(name, release) {
  return cached(join(cache, 'tarballs', encodeURIComponent(name), `${release.version}.tgz`), async () => {
    const path = `${name}/-/${name.replace(/^@[^/]+\//, '')}-${release.version}.tgz`;
    const response = await fetch(`${registry}${path}`);
    if (!response.ok) throw new Error(`tarball ${release.version}: HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_TARBALL_BYTES) throw new Error(`tarball ${release.version}: ${length} bytes, over the bound`);
    return Buffer.from(await response.arrayBuffer());
  });
}

async function cached(file, load) {
  try {
    return await readFile(file);
  } catch {
    const data = await load();
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.part`, data);
    await rename(`${file}.part`, file);
    return data;
  }
}
