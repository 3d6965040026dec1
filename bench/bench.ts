import { fork } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTarballSync, packument, type Packument, type Tarball, type VersionSpec } from '../test/helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../test/helpers/registry-server.js';
import { ageFactsCache } from './age-cache.js';
import { reportFileFor, withReportSummary } from './report-summary.js';
import { benchmarkReal, lockfileCase, mergedPackages, scaleCase, type RealCase } from './real.js';

const LATENCY_MS = 30;
// BENCH_RUNS=<n> repeats every run n times (a fresh cache each time) and reports medians
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 1);
const SYNTHETIC_PACKAGES = 1_600;
const EARLIER_VERSIONS = 12;
const DAY = 86_400_000;
const NOW = Date.parse('2026-03-24T12:00:00.000Z');
const here = fileURLToPath(new URL('../../../bench/', import.meta.url));
// the shared corpus sits next to the repository; the benchmark skips it when it is absent
const REAL_LOCKFILE = join(here, '..', '..', 'shared', 'fixtures', 'real-world', 'lockfiles', 'continuedev__continue__core__package-lock.json');

interface Locked {
  name: string;
  version: string;
  integrity: string;
}

interface Project {
  label: string;
  packageJson: object;
  lockfile: { packages: Record<string, Record<string, unknown>> } & Record<string, unknown>;
}

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEYID = `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
const KEYS = { keys: [{ expires: null, keyid: KEYID, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') }] };

// `npm run bench -- <case>…`: synthetic (generated documents), core (continue's core lockfile, real
// documents), sim (a 2.5k-package bun workspace, real documents), real (core and sim), scale (merged
// real lockfiles: 1k, 2.5k, 5k, 10k packages; BENCH_SCALE=1000,2500 picks points). Default: synthetic, core, sim.
// BENCH_CPU_PROF=<dir> / BENCH_HEAP_PROF=<dir> write CPU / heap profiles of the audit runs (CPU: one folder per run, a profile per thread).
const asked = new Set(process.argv.slice(2).flatMap((arg) => (arg === 'real' ? ['core', 'sim'] : [arg])));
if (asked.size === 0) for (const name of ['synthetic', 'core', 'sim']) asked.add(name);
const dist = join(here, '..', 'dist');
if (asked.has('synthetic-old-real')) for (const project of await realProject()) await benchmark(project);
if (asked.has('synthetic')) await benchmark(syntheticProject());
const cases: RealCase[] = [];
if (asked.has('core')) cases.push(...[await lockfileCase('core', 'continuedev/continue core package-lock.json', 'continuedev__continue__core__package-lock.json', 'package-lock.json', dist)].filter((real) => real !== null));
if (asked.has('sim')) cases.push(...[await lockfileCase('sim', 'simstudioai/sim bun.lock (bun workspace)', 'simstudioai__sim__bun.lock', 'bun.lock', dist)].filter((real) => real !== null));
if (asked.has('scale')) {
  const merged = await mergedPackages(dist);
  const points = (process.env.BENCH_SCALE ?? '1000,2500,5000,10000').split(',').map(Number).filter((size) => size > 0 && size <= merged.length);
  process.stdout.write(`merged real lockfiles: ${merged.length} distinct packages; scale points ${points.join(', ')}\n`);
  for (const size of points) cases.push(scaleCase(merged, size));
}
if (cases.length > 0) await benchmarkReal(cases, here);

async function benchmark(project: Project): Promise<void> {
  const locked = lockedOf(project.lockfile);
  const tarballs = tarballsFor(locked);
  const docs = packumentsFor(locked, tarballs);
  const registry = await startRegistry({ packuments: docs, keys: KEYS, latencyMs: LATENCY_MS });
  const runs: Record<'cold' | 'warm' | 'stale' | 'baseline', Measured[]> = { cold: [], warm: [], stale: [], baseline: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      const work = await mkdtemp(join(tmpdir(), 'aca-bench-'));
      try {
        const dir = join(work, 'project');
        await mkdir(dir);
        await writeFile(join(dir, 'package.json'), JSON.stringify(project.packageJson));
        await writeFile(join(dir, 'package-lock.json'), JSON.stringify(pointedAt(project.lockfile, registry.url, tarballs)));
        const env = { ...process.env, HOME: work, npm_config_cache: join(work, 'cache'), npm_config_userconfig: join(work, '.npmrc') };
        const args = [dir, '--json', '--fail-on', 'none', '--now', new Date(NOW).toISOString(), '--registry', registry.url];
        // the baseline alternates with the audit so both see the same load on a shared machine
        const jobFile = join(work, 'baseline.json');
        await writeFile(jobFile, JSON.stringify({ registry: registry.url, cache: join(work, 'baseline-cache'), specs: locked.map((pkg) => `${pkg.name}@${pkg.version}`) }));
        runs.baseline.push(await measured(registry, () => child('baseline-child.js', [jobFile], env)));
        runs.cold.push(await measured(registry, () => child('audit-child.js', args, env)));
        runs.warm.push(await measured(registry, () => child('audit-child.js', args, env)));
        await ageFactsCache(join(work, 'cache'), env, 600_000);
        runs.stale.push(await measured(registry, () => child('audit-child.js', args, env)));
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }
  } finally {
    await registry.close();
  }
  const [cold, warm, stale, baseline] = [median(runs.cold), median(runs.warm), median(runs.stale), median(runs.baseline)];
  const names = new Set(locked.map((pkg) => pkg.name)).size;
  process.stdout.write(`\n## ${project.label}: ${locked.length} locked packages (${names} names), ${LATENCY_MS} ms per request, every version signed${RUNS > 1 ? `; medians of ${RUNS} runs` : ''}\n\n`);
  process.stdout.write('| run | wall | CPU (user+sys) | registry CPU | requests | bytes | peak RSS | result |\n|---|---|---|---|---|---|---|---|\n');
  const row = (label: string, run: Measured) =>
    process.stdout.write(`| ${label} | ${(run.ms / 1000).toFixed(2)} s | ${(Number(run.result.cpuMs) / 1000).toFixed(2)} s | ${(run.registryCpuMs / 1000).toFixed(2)} s | ${run.requests} | ${mb(run.bytes)} | ${mb(Number(run.result.maxRssKb) * 1024)} | ${describe(run.result)} |\n`);
  row('ai-chain-audit, cold cache', cold);
  row('ai-chain-audit, warm cache', warm);
  row('ai-chain-audit, warm cache 10 min later (past max-age: conditional requests)', stale);
  row('npm audit signatures algorithm (pacote verifySignatures, 20 at a time), cold', baseline);
  if (RUNS > 1) {
    const walls = (list: Measured[]) => list.map((run) => (run.ms / 1000).toFixed(2)).join(', ');
    process.stdout.write(`\nwall times (s): cold ${walls(runs.cold)}; warm ${walls(runs.warm)}; stale ${walls(runs.stale)}; baseline ${walls(runs.baseline)}\n`);
  }
  process.stdout.write(`\nwarm-run requests: ${warm.paths.slice(0, 8).join(', ')}${warm.paths.length > 8 ? ', …' : ''}\n`);
  const speedUps = runs.cold.map((run, index) => (runs.baseline[index]?.ms ?? NaN) / run.ms).sort((a, b) => a - b);
  process.stdout.write(`\ncold speed-up over the baseline: ${(baseline.ms / cold.ms).toFixed(1)}× (medians)${RUNS > 1 ? `; per run ${speedUps.map((value) => value.toFixed(1)).join(', ')}×` : ''}; duplicate document requests (cold): ${Math.max(...runs.cold.map((run) => run.duplicates))}\n`);
}

/** The run with the median wall time (its other numbers come with it). */
function median(list: Measured[]): Measured {
  const sorted = [...list].sort((a, b) => a.ms - b.ms);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no runs');
  return middle;
}


interface Measured {
  paths: string[];
  ms: number;
  requests: number;
  bytes: number;
  duplicates: number;
  /** CPU the loopback registry (this process) spent serving the run: it competes for the same cores. */
  registryCpuMs: number;
  result: Record<string, unknown>;
}

async function measured(registry: RegistryServer, run: () => Promise<Record<string, unknown>>): Promise<Measured> {
  registry.reset();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const timed = await run();
  const ms = performance.now() - started;
  const result = withReportSummary(timed);
  const registryCpu = process.cpuUsage(cpuBefore);
  const seen = registry.requests.map((request) => `${request.path} ${request.accept ?? ''}`);
  return { paths: registry.requests.map((request) => `${request.status} ${request.path}`), ms, requests: registry.requests.length, bytes: registry.requests.reduce((sum, request) => sum + request.bytes, 0), duplicates: seen.length - new Set(seen).size, registryCpuMs: (registryCpu.user + registryCpu.system) / 1000, result };
}

function child(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const profile = process.env.BENCH_CPU_PROF;
    const execArgv = profile && script === 'audit-child.js' ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
    const proc = fork(join(here, script), args, { env: { ...env, BENCH_REPORT_FILE: reportFileFor() }, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let message: Record<string, unknown> | null = null;
    proc.on('message', (value) => (message = value as Record<string, unknown>));
    proc.on('error', reject);
    proc.on('exit', (code) => (message ? resolve(message) : reject(new Error(`${script} exited ${code} without a result`))));
  });
}

function describe(result: Record<string, unknown>): string {
  if ('verified' in result) return `${String(result.verified)} signatures verified, ${String(result.failed)} failed`;
  const summary = result.summary as Record<string, unknown> | null;
  return `exit ${String(result.code)}, ${String(summary?.packages)} packages, ${String(summary?.findings)} findings, ${String(summary?.errors)} errors`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A flat v3 lockfile of SYNTHETIC_PACKAGES registry packages, a tenth of them scoped. */
function syntheticProject(): Project {
  const dependencies: Record<string, string> = {};
  const packages: Record<string, Record<string, unknown>> = { '': { name: 'bench-app', version: '1.0.0', dependencies } };
  for (let index = 0; index < SYNTHETIC_PACKAGES; index++) {
    const name = index % 10 === 0 ? `@bench/scoped-${index}` : `bench-package-${index}`;
    const version = `${1 + (index % 4)}.${index % 17}.${EARLIER_VERSIONS}`;
    packages[`node_modules/${name}`] = { version, resolved: `@REGISTRY@${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity: `sha512-${randomBytes(64).toString('base64')}` };
    if (index < 40) dependencies[name] = version;
  }
  return { label: 'synthetic lockfile', packageJson: { name: 'bench-app', version: '1.0.0', dependencies }, lockfile: { name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages } };
}

async function realProject(): Promise<Project[]> {
  if (!existsSync(REAL_LOCKFILE)) {
    process.stdout.write(`(real lockfile ${REAL_LOCKFILE} absent: skipped)\n`);
    return [];
  }
  const lockfile = JSON.parse(await readFile(REAL_LOCKFILE, 'utf8')) as Project['lockfile'];
  const packageJson = JSON.parse(await readFile(`${REAL_LOCKFILE}.package.json`, 'utf8')) as object;
  return [{ label: 'continuedev/continue core package-lock.json (real)', packageJson, lockfile }];
}

function lockedOf(lockfile: Project['lockfile']): Locked[] {
  const seen = new Map<string, Locked>();
  for (const [path, entry] of Object.entries(lockfile.packages)) {
    if (path === '' || entry.link === true || typeof entry.version !== 'string' || typeof entry.resolved !== 'string' || !/\/-\/[^/]+\.tgz$/.test(entry.resolved)) continue;
    const name = nameAt(path, entry);
    seen.set(`${name}@${entry.version}`, { name, version: entry.version, integrity: String(entry.integrity ?? `sha512-${randomBytes(64).toString('base64')}`) });
  }
  return [...seen.values()];
}

function nameAt(path: string, entry: Record<string, unknown>): string {
  return typeof entry.name === 'string' ? entry.name : path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/**
 * A tarball for every locked version, so the AI analysis reads the published code of the AI
 * packages it picks (the lockfile's integrity becomes the tarball's). The code is synthetic and
 * small (~30 KB unpacked): real AI SDK tarballs are larger, so the scan costs more in real life.
 */
function tarballsFor(locked: Locked[]): Map<string, Tarball> {
  const code = Array.from({ length: 300 }, (_, line) => `export function call${line}(input) { return fetch(process.env.API_BASE_URL + '/v1/${line}', { method: 'POST', body: JSON.stringify(input) }); }`).join('\n');
  return new Map(locked.map((pkg) => [`${pkg.name}@${pkg.version}`, makeTarballSync(pkg.name, pkg.version, { 'index.js': code })]));
}

/** Registry URLs of the lockfile, whatever host wrote them, pointed at the loopback registry; integrities those of the served tarballs. */
function pointedAt(lockfile: Project['lockfile'], registry: string, tarballs: Map<string, Tarball>): object {
  const packages: Record<string, Record<string, unknown>> = {};
  for (const [path, entry] of Object.entries(lockfile.packages)) {
    const resolved = typeof entry.resolved === 'string' ? entry.resolved.replace('@REGISTRY@', registry).replace(/^https?:\/\/[^/]+\/(?=.*\/-\/[^/]+\.tgz$)/, registry) : entry.resolved;
    const tarball = tarballs.get(`${nameAt(path, entry)}@${String(entry.version)}`);
    packages[path] = { ...entry, ...(resolved === undefined ? {} : { resolved }), ...(tarball ? { integrity: tarball.integrity } : {}) };
  }
  return { ...lockfile, packages };
}

/**
 * Every locked version with EARLIER_VERSIONS older siblings, all signed by the registry key.
 * Most were published months ago; one package in fifty was published hours ago.
 */
function packumentsFor(locked: Locked[], tarballs: Map<string, Tarball>): Record<string, Packument> {
  const byName = new Map<string, Locked[]>();
  for (const pkg of locked) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  const docs: Record<string, Packument> = {};
  let index = 0;
  for (const [name, versions] of byName) {
    const fresh = index++ % 50 === 0;
    const specs = new Map<string, VersionSpec>();
    for (const pkg of versions) {
      const tarball = tarballs.get(`${name}@${pkg.version}`);
      specs.set(pkg.version, { version: pkg.version, integrity: tarball?.integrity ?? pkg.integrity, ...(tarball ? { tarball: tarball.data } : {}), publishedAt: new Date(NOW - (fresh ? 5 * 3_600_000 : 120 * DAY)).toISOString() });
      for (let back = 1; back <= EARLIER_VERSIONS; back++) {
        const version = `0.${back}.${index}`;
        if (!specs.has(version)) specs.set(version, { version, integrity: `sha512-${randomBytes(64).toString('base64')}`, publishedAt: new Date(NOW - (200 + back * 10) * DAY).toISOString() });
      }
    }
    for (const spec of specs.values()) spec.signatures = [{ keyid: KEYID, sig: signature(privateKey, `${name}@${spec.version}:${spec.integrity}`) }];
    docs[name] = packument(name, [...specs.values()]);
  }
  return docs;
}

function signature(key: KeyObject, message: string): string {
  return sign('sha256', Buffer.from(message), key).toString('base64');
}
