#!/usr/bin/env node
// Maintainer script (uses the network; not part of `npm test`). Measures issue 5's "≥ 90% of the
// per-package answers match what the packages' own published code does":
//
//   1. generates temporary projects depending on every package of bench/ai-ground-truth.json at
//      its exact version (split where peer dependencies conflict) and locks them with
//      `npm install --package-lock-only --ignore-scripts` (nothing is installed or run);
//   2. runs the BUILT CLI on each (`node bin/ai-chain-audit.js <dir> --json --fail-on none`);
//   3. compares every `aiTools[]` entry's four answers with the hand-verified ground truth.
//
// Exits 1 below 90%. `--heuristic` adds a diagnostic: how often the code-only heuristic
// (src/ai/infer.ts, which the report uses for uncatalogued packages) agrees with the ground truth.
//
//   npm run build && node scripts/ai-accuracy.js [--heuristic] [--keep]
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ANSWERS = ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'];
const THRESHOLD = 0.9;
const MAX_PROJECTS = 12;
const args = process.argv.slice(2);
const print = (line = '') => process.stdout.write(`${line}\n`);
const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

const truth = JSON.parse(await readFile(join(ROOT, 'bench/ai-ground-truth.json'), 'utf8'));
const work = await mkdtemp(join(tmpdir(), 'ai-accuracy-'));
try {
  const projects = await lockProjects(truth.packages, work);
  print(`${truth.packages.length} packages locked in ${projects.length} project(s) (split where peer dependencies conflict)`);
  const reported = new Map();
  const unknown = [];
  for (const project of projects) {
    for (const tool of await audit(project.dir)) {
      if (tool.origin === 'npm' && project.names.includes(tool.name)) reported.set(`${tool.name}@${tool.version}`, tool);
      if (tool.tool === 'unknown') unknown.push(`${tool.name}@${tool.version} (${tool.role}: ${ANSWERS.map((key) => tool[key]).join('/')})`);
    }
  }
  const ok = compare(truth.packages, reported);
  print(`uncatalogued dependencies reported as unknown AI tools (heuristic): ${unknown.length}${unknown.length ? `\n  ${unknown.join('\n  ')}` : ''}`);
  if (args.includes('--heuristic')) await heuristic(truth.packages);
  process.exitCode = ok ? 0 : 1;
} finally {
  if (args.includes('--keep')) print(`projects kept in ${work}`);
  else await rm(work, { recursive: true, force: true });
}

/** Locks the packages in as few projects as peer dependencies allow: a package whose peers conflict moves to the next project. */
async function lockProjects(packages, base) {
  const projects = [];
  let pending = packages.map((pkg) => ({ name: pkg.name, version: pkg.version }));
  while (pending.length > 0) {
    if (projects.length === MAX_PROJECTS) throw new Error(`still unresolved after ${MAX_PROJECTS} projects: ${pending.map((pkg) => pkg.name).join(', ')}`);
    const dir = join(base, `tree-${projects.length + 1}`);
    const group = [...pending];
    const moved = [];
    let legacyPeers = false;
    for (;;) {
      const conflict = await lock(dir, group, legacyPeers);
      if (!conflict) break;
      const index = group.findIndex((pkg) => pkg.name === conflict);
      if (index < 0) throw new Error(`cannot lock ${dir}: peer conflict on ${conflict}`);
      // a package whose own peer tree is broken upstream is locked alone, without its peers
      if (group.length === 1) legacyPeers = true;
      else moved.push(...group.splice(index, 1));
    }
    if (legacyPeers) print(`  ${group[0]?.name} locked alone with --legacy-peer-deps: its own peer dependencies conflict upstream`);
    projects.push({ dir, names: group.map((pkg) => pkg.name) });
    pending = moved;
  }
  return projects;
}

/** Writes the project and locks it; returns the direct dependency to move out on a peer conflict, or null when locked. */
async function lock(dir, group, legacyPeers) {
  await rm(dir, { recursive: true, force: true });
  await run('mkdir', ['-p', dir]);
  const manifest = { name: 'ai-accuracy-tree', version: '1.0.0', private: true, dependencies: Object.fromEntries(group.map((pkg) => [pkg.name, pkg.version])) };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  try {
    await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', ...(legacyPeers ? ['--legacy-peer-deps'] : [])], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    return null;
  } catch (error) {
    const text = `${error.stdout ?? ''}\n${error.stderr ?? ''}`;
    if (!/ERESOLVE/.test(text)) throw new Error(`npm could not lock ${dir}: ${text.split('\n').filter((line) => /error/.test(line)).slice(0, 5).join(' | ')}`);
    // the direct dependency whose peer cannot be satisfied: the first "from the root project" after "Could not resolve dependency"
    const after = text.slice(text.indexOf('Could not resolve dependency'));
    const culprit = /npm error\s+((?:@[^/\s]+\/)?[^@\s]+)@"[^"]*" from the root project/.exec(after);
    return culprit?.[1] ?? null;
  }
}

async function audit(dir) {
  const { stdout } = await run(process.execPath, [join(ROOT, 'bin/ai-chain-audit.js'), dir, '--json', '--fail-on', 'none'], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout).aiTools ?? [];
}

function compare(packages, reported) {
  const perAnswer = Object.fromEntries(ANSWERS.map((key) => [key, 0]));
  let matched = 0;
  let compared = 0;
  const misses = [];
  for (const pkg of packages) {
    const tool = reported.get(`${pkg.name}@${pkg.version}`);
    for (const key of ANSWERS) {
      compared++;
      if (tool && tool[key] === pkg[key]) {
        matched++;
        perAnswer[key]++;
      } else {
        misses.push(`  ✗ ${pkg.name}@${pkg.version} ${key}: report ${tool ? String(tool[key]) : 'no aiTools entry'}, ground truth ${String(pkg[key])}`);
      }
    }
  }
  print(`per-package answers matching the hand-verified ground truth: ${matched}/${compared} = ${pct(matched, compared)}`);
  for (const key of ANSWERS) print(`  ${key}: ${perAnswer[key]}/${packages.length} = ${pct(perAnswer[key], packages.length)}`);
  print(`packages with all four answers right: ${packages.filter((pkg) => ANSWERS.every((key) => reported.get(`${pkg.name}@${pkg.version}`)?.[key] === pkg[key])).length}/${packages.length}`);
  if (misses.length > 0) print(`misses:\n${misses.join('\n')}`);
  const ok = matched / compared >= THRESHOLD;
  print(ok ? `PASS (≥ ${THRESHOLD * 100}%)` : `FAIL (< ${THRESHOLD * 100}%)`);
  return ok;
}

/** Diagnostic only: the code-only heuristic against the same ground truth (it decides nothing for catalogued packages). */
async function heuristic(packages) {
  const { default: pacote } = await import('pacote');
  const { builtinCatalog, CatalogIndex } = await import('../dist/ai/catalog.js');
  const { scanTarball } = await import('../dist/ai/evidence/package.js');
  const { inferAnswers } = await import('../dist/ai/infer.js');
  const { loadNpmConfig } = await import('../dist/config/npm-config.js');
  const catalog = new CatalogIndex(builtinCatalog);
  const config = await loadNpmConfig(ROOT);
  const inferred = await Promise.all(packages.map(async (pkg) => {
    const data = await pacote.tarball(`${pkg.name}@${pkg.version}`, { ...config.flat, registry: config.registry });
    return inferAnswers(scanTarball(pkg.name, pkg.version, data, catalog), catalog);
  }));
  let matched = 0;
  let undecided = 0;
  for (const [index, pkg] of packages.entries()) {
    for (const key of ANSWERS) {
      const value = inferred[index][key];
      if (value === 'unknown' || value === null) undecided++;
      else if (value === pkg[key]) matched++;
    }
  }
  const total = packages.length * ANSWERS.length;
  print(`diagnostic — code-only heuristic (src/ai/infer.ts) vs ground truth: ${matched}/${total} = ${pct(matched, total)} (${undecided} left undecided)`);
}
