// The real-document benchmark: real lockfiles from the shared corpus, the registry's real
// documents and tarballs (fetched once into a cache folder), served from a loopback registry
// that behaves like a public one. See bench/real-registry.ts and bench/corpus.ts.
import { fork } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ageFactsCache } from './age-cache.js';
import { reportFileFor, withReportSummary } from './report-summary.js';
import { ensureDocuments, openCorpus, type Corpus } from './corpus.js';
import { startBenchRegistry, type BenchRegistry, type RequestKind, type ServedRequest, type SigningKey } from './real-registry.js';

const LATENCY_MS = 30;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 1);
const NOW = new Date().toISOString();

export interface RealCase {
  id: string;
  label: string;
  /** Writes the project (lockfile, package.json) into `dir`, its registry URLs pointed at `registry`. */
  write(dir: string, registry: string): Promise<void>;
  locked: Locked[];
  /** Time npm's algorithm on it too. */
  baseline: boolean;
  /** Also a run 10 minutes later (past max-age: conditional requests). */
  stale: boolean;
}

export interface Locked {
  name: string;
  version: string;
  integrity: string;
}

interface Measured {
  ms: number;
  cpuMs: number;
  rssKb: number;
  requests: ServedRequest[];
  result: Record<string, unknown>;
}

interface Inventory {
  packages: { name: string; version: string | null; integrity: string | null; source: string }[];
}

/** The bench's registry key, kept in the corpus folder so renderings signed with it stay valid. */
export async function signingKey(corpusDir: string): Promise<SigningKey> {
  const file = join(corpusDir, 'bench-signing-key.pem');
  const pem = await readFile(file, 'utf8').catch(() => null);
  const privateKey = pem ? createPrivateKey(pem) : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  if (!pem) await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const keyid = `SHA256:${createHash('sha256').update(der).digest('base64')}`;
  return { keyid, privateKey, keys: { keys: [{ expires: null, keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: der.toString('base64') }] } };
}

export async function benchmarkReal(cases: RealCase[], here: string): Promise<void> {
  const corpus = await openCorpus();
  process.stdout.write(`real-document corpus: ${corpus.dir}\n`);
  const registry = await startBenchRegistry(corpus, await signingKey(corpus.dir), LATENCY_MS);
  try {
    for (const real of cases) await benchmarkCase(real, corpus, registry, here);
  } finally {
    await registry.close();
  }
}

async function benchmarkCase(real: RealCase, corpus: Corpus, registry: BenchRegistry, here: string): Promise<void> {
  const names = [...new Set(real.locked.map((pkg) => pkg.name))];
  await ensureDocuments(corpus, names);
  const started = performance.now();
  const rendered = await registry.render(names);
  process.stdout.write(`${real.label}: rendered ${rendered.documents} documents (${rendered.versions} versions signed) in ${((performance.now() - started) / 1000).toFixed(1)} s${rendered.missing.length ? `; not on the registry: ${rendered.missing.slice(0, 5).join(', ')}` : ''}\n`);
  const primed = join(corpus.dir, `${real.id}.primed`);
  if (!existsSync(primed)) {
    // one untimed run fetches the tarballs the audit reads into the corpus
    await inWorkDir(real, registry, async (run) => void (await run('audit-child.js')));
    await writeFile(primed, new Date().toISOString());
  }
  const runs: Record<'cold' | 'warm' | 'stale' | 'baseline', Measured[]> = { cold: [], warm: [], stale: [], baseline: [] };
  const lateBefore = corpus.lateFetches;
  for (let index = 0; index < RUNS; index++) {
    await inWorkDir(real, registry, async (run, work, env) => {
      if (real.baseline) runs.baseline.push(await run('baseline-child.js'));
      runs.cold.push(await run('audit-child.js', `${real.id}-cold-${index}`));
      runs.warm.push(await run('audit-child.js', `${real.id}-warm-${index}`));
      if (real.stale && (await ageFactsCache(join(work, 'cache'), env, 600_000))) runs.stale.push(await run('audit-child.js', `${real.id}-stale-${index}`));
    });
  }
  report(real, names.length, runs, corpus.lateFetches - lateBefore);

  async function inWorkDir(real: RealCase, registry: BenchRegistry, body: (run: (script: string, profile?: string) => Promise<Measured>, work: string, env: NodeJS.ProcessEnv) => Promise<void>): Promise<void> {
    const work = await mkdtemp(join(tmpdir(), 'aca-bench-'));
    try {
      const dir = join(work, 'project');
      await mkdir(dir);
      await real.write(dir, registry.url);
      const env = { ...process.env, HOME: work, npm_config_cache: join(work, 'cache'), npm_config_userconfig: join(work, '.npmrc'), npm_config_registry: registry.url };
      const jobFile = join(work, 'baseline.json');
      await writeFile(jobFile, JSON.stringify({ registry: registry.url, cache: join(work, 'baseline-cache'), specs: real.locked.map((pkg) => `${pkg.name}@${pkg.version}`) }));
      const auditArgs = [dir, '--json', '--fail-on', 'none', '--now', NOW, '--registry', registry.url];
      await body((script, profile) => measured(registry, () => child(here, script, script === 'audit-child.js' ? auditArgs : [jobFile], env, profile)), work, env);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

function report(real: RealCase, names: number, runs: Record<'cold' | 'warm' | 'stale' | 'baseline', Measured[]>, lateFetches: number): void {
  process.stdout.write(`\n## ${real.label}: ${real.locked.length} locked packages (${names} names), real documents, ${LATENCY_MS} ms per request, every version signed${process.env.BENCH_NO_CACHE_HEADERS === '1' ? ', registry sends no caching headers' : ''}${RUNS > 1 ? `; medians of ${RUNS} runs` : ''}\n\n`);
  process.stdout.write('| run | wall | CPU (user+sys) | peak RSS | requests (full / abbreviated / 304 / tarballs) | downloaded (tarballs) | result |\n|---|---|---|---|---|---|---|\n');
  const rows: [string, Measured[]][] = [
    ['ai-chain-audit, cold cache', runs.cold],
    ['ai-chain-audit, warm cache', runs.warm],
    ['ai-chain-audit, warm cache 10 min later (past max-age)', runs.stale],
    ["npm's algorithm (pacote verifySignatures, 20 at a time), cold", runs.baseline],
  ];
  for (const [label, list] of rows) {
    if (list.length === 0) continue;
    const run = median(list);
    const count = (kind: RequestKind) => run.requests.filter((request) => request.kind === kind && request.status !== 304).length;
    const notModified = run.requests.filter((request) => request.status === 304).length;
    const bytes = (requests: ServedRequest[]) => requests.reduce((sum, request) => sum + request.bytes, 0);
    const tarballs = run.requests.filter((request) => request.kind === 'tarball');
    process.stdout.write(`| ${label} | ${seconds(run.ms)} | ${seconds(run.cpuMs)} | ${mb(run.rssKb * 1024)} | ${run.requests.length} (${count('full')} / ${count('abbreviated')} / ${notModified} / ${count('tarball')}) | ${mb(bytes(run.requests))} (${mb(bytes(tarballs))}) | ${describe(run.result)} |\n`);
  }
  const [cold, warm, baseline] = [runs.cold, runs.warm, runs.baseline].map((list) => (list.length ? median(list) : null));
  if (cold && baseline) process.stdout.write(`\ncold speed-up over npm's algorithm: ${(baseline.ms / cold.ms).toFixed(2)}× (per run: ${runs.cold.map((run, index) => ((runs.baseline[index]?.ms ?? NaN) / run.ms).toFixed(2)).join(', ')})\n`);
  if (warm) {
    const tarballs = warm.requests.filter((request) => request.kind === 'tarball' && request.status === 200);
    process.stdout.write(`warm run tarball downloads: ${tarballs.length} (${mb(tarballs.reduce((sum, request) => sum + request.bytes, 0))})${tarballs.length ? ` — ${tarballs.slice(0, 4).map((request) => request.path).join(', ')}` : ''}\n`);
  }
  if (lateFetches > 0) process.stdout.write(`(${lateFetches} tarballs were fetched from the upstream registry during timed runs: run again for clean numbers)\n`);
  process.stdout.write(`wall times (s): ${Object.entries(runs).map(([label, list]) => `${label} ${list.map((run) => (run.ms / 1000).toFixed(2)).join(', ')}`).join('; ')}\n`);
}

async function measured(registry: BenchRegistry, run: () => Promise<Record<string, unknown>>): Promise<Measured> {
  registry.reset();
  const started = performance.now();
  const timed = await run();
  const ms = performance.now() - started;
  const result = withReportSummary(timed);
  return { ms, cpuMs: Number(result.cpuMs), rssKb: Number(result.maxRssKb), requests: [...registry.requests], result };
}

function child(here: string, script: string, args: string[], env: NodeJS.ProcessEnv, profile?: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const dir = process.env.BENCH_CPU_PROF;
    const execArgv = dir && profile ? ['--cpu-prof', '--cpu-prof-dir', join(dir, profile)] : [];
    const heap = process.env.BENCH_HEAP_PROF;
    if (heap && profile) execArgv.push('--heap-prof', '--heap-prof-dir', heap, '--heap-prof-name', `${profile}.heapprofile`);
    const proc = fork(join(here, script), args, { env: { ...env, BENCH_REPORT_FILE: reportFileFor() }, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let message: Record<string, unknown> | null = null;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    proc.on('message', (value) => (message = value as Record<string, unknown>));
    proc.on('error', reject);
    proc.on('exit', (code) => (message ? resolve(message) : reject(new Error(`${script} exited ${code} without a result: ${stderr}`))));
  });
}

function median(list: Measured[]): Measured {
  const sorted = [...list].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)] as Measured;
}


function describe(result: Record<string, unknown>): string {
  if ('verified' in result) return `${String(result.verified)} signatures verified, ${String(result.failed)} failed`;
  const summary = result.summary as Record<string, unknown> | null;
  const first = Array.isArray(summary?.firstErrors) ? (summary.firstErrors as { message?: string }[]).map((error) => error.message).join(' / ').slice(0, 160) : '';
  return `exit ${String(result.code)}, ${String(summary?.packages)} packages, ${String(summary?.findings)} findings, ${String(summary?.errors)} errors${first ? ` (${first})` : ''}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

// ——— the cases ———

// the shared corpus sits next to the repository (this file runs from bench/.out/bench/)
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const SHARED = process.env.BENCH_LOCKFILES ?? join(REPOSITORY, '..', 'shared', 'fixtures', 'real-world', 'lockfiles');

/** A real lockfile from the shared corpus, as its project has it (registry placeholders pointed at the loopback registry). */
export async function lockfileCase(id: string, label: string, file: string, lockfileName: string, dist: string): Promise<RealCase | null> {
  const source = join(SHARED, file);
  if (!existsSync(source)) {
    process.stdout.write(`(${source} absent: ${label} skipped)\n`);
    return null;
  }
  const text = await readFile(source, 'utf8');
  const write = async (dir: string, registry: string) => {
    await writeFile(join(dir, lockfileName), text.replaceAll('@REGISTRY@', registry));
    await copyFile(`${source}.package.json`, join(dir, 'package.json'));
  };
  const probe = await mkdtemp(join(tmpdir(), 'aca-bench-inventory-'));
  try {
    await write(probe, 'http://127.0.0.1:9/');
    return { id, label, write, locked: await lockedOf(probe, dist), baseline: process.env.BENCH_BASELINE !== '0', stale: true };
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

async function lockedOf(dir: string, dist: string): Promise<Locked[]> {
  const { readInventory } = (await import(pathToFileURL(join(dist, 'index.js')).href)) as { readInventory(dir: string): Promise<Inventory> };
  const inventory = await readInventory(dir);
  const seen = new Map<string, Locked>();
  for (const pkg of inventory.packages) {
    if ((pkg.source !== 'registry' && pkg.source !== 'file') || !pkg.version || !pkg.integrity) continue;
    seen.set(`${pkg.name}@${pkg.version}`, { name: pkg.name, version: pkg.version, integrity: pkg.integrity });
  }
  return [...seen.values()];
}

const MERGED_SOURCES: [string, string][] = [
  ['continuedev__continue__core__package-lock.json', 'package-lock.json'],
  ['simstudioai__sim__bun.lock', 'bun.lock'],
  ['FlowiseAI__Flowise__pnpm-lock.yaml', 'pnpm-lock.yaml'],
  ['vercel__ai__pnpm-lock.yaml', 'pnpm-lock.yaml'],
  ['langchain-ai__langchainjs__pnpm-lock.yaml', 'pnpm-lock.yaml'],
  ['langfuse__langfuse__pnpm-lock.yaml', 'pnpm-lock.yaml'],
  ['continuedev__continue__packages__openai-adapters__package-lock.json', 'package-lock.json'],
  ['langchain-ai__langchainjs@e44c529__yarn.lock', 'yarn.lock'],
  ['langfuse__langfuse@5c57b2b__pnpm-lock.yaml', 'pnpm-lock.yaml'],
];

/** The union of the real lockfiles' packages, in a fixed order: the scale points take its first n. */
export async function mergedPackages(dist: string): Promise<Locked[]> {
  const all = new Map<string, Locked>();
  for (const [file, name] of MERGED_SOURCES) {
    const real = await lockfileCase(file, file, file, name, dist);
    for (const pkg of real?.locked ?? []) if (!all.has(`${pkg.name}@${pkg.version}`)) all.set(`${pkg.name}@${pkg.version}`, pkg);
  }
  return [...all.values()];
}

/** A flat v3 package-lock of the first `size` merged packages (a second version of a name nests under another package). */
export function scaleCase(merged: Locked[], size: number): RealCase {
  const locked = merged.slice(0, size);
  const write = async (dir: string, registry: string) => {
    const topLevel = new Set<string>();
    const packages: Record<string, object> = {};
    const dependencies: Record<string, string> = {};
    let host = 0;
    const hosts = [...new Set(locked.map((pkg) => pkg.name))];
    for (const pkg of locked) {
      const tarball = `${registry}${pkg.name}/-/${pkg.name.split('/').pop()}-${pkg.version}.tgz`;
      let path = `node_modules/${pkg.name}`;
      if (topLevel.has(pkg.name)) {
        while (hosts[host % hosts.length] === pkg.name || packages[`node_modules/${hosts[host % hosts.length]}/node_modules/${pkg.name}`]) host++;
        path = `node_modules/${hosts[host++ % hosts.length]}/node_modules/${pkg.name}`;
      } else {
        topLevel.add(pkg.name);
        if (Object.keys(dependencies).length < 40) dependencies[pkg.name] = pkg.version;
      }
      packages[path] = { version: pkg.version, resolved: tarball, integrity: pkg.integrity };
    }
    const root = { name: 'bench-merged', version: '1.0.0', dependencies };
    await writeFile(join(dir, 'package.json'), JSON.stringify(root));
    await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { '': root, ...packages } }));
  };
  return { id: `merged-${size}`, label: `merged real lockfiles, first ${size} packages (flat package-lock)`, write, locked, baseline: process.env.BENCH_BASELINE === '1', stale: false };
}
