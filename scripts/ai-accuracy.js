#!/usr/bin/env node
// Maintainer script (uses the network; not part of `npm test`). For every npm package in the AI
// catalog, fetch its latest published tarball through npm's configured registry (in memory,
// never executed), and compare the answers the audit reports for a tree holding it with no code
// using it, against what the package's published code alone shows (src/ai/infer.ts).
//
//   npm run build && node scripts/ai-accuracy.js [--limit N] [--verbose]
import pacote from 'pacote';
import { builtinCatalog, CatalogIndex } from '../dist/ai/catalog.js';
import { classify } from '../dist/ai/classify.js';
import { scanTarball } from '../dist/ai/evidence/package.js';
import { inferAnswers } from '../dist/ai/infer.js';
import { loadNpmConfig } from '../dist/registry/npm-config.js';

const ANSWERS = ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'];
const args = process.argv.slice(2);
const limit = args.includes('--limit') ? Number(args[args.indexOf('--limit') + 1]) : Infinity;
const verbose = args.includes('--verbose');

const catalog = new CatalogIndex(builtinCatalog);
const config = await loadNpmConfig(process.cwd());
const names = builtinCatalog.tools.flatMap((tool) => tool.packages.map((pkg) => pkg.name)).slice(0, limit);

const results = await Promise.all(
  names.map(async (name) => {
    try {
      const manifest = await pacote.manifest(`${name}@latest`, { ...config.flat, registry: config.registry });
      const data = await pacote.tarball(`${name}@${manifest.version}`, { ...config.flat, registry: config.registry });
      const evidence = scanTarball(name, manifest.version, data, catalog);
      const pkg = { id: `${name}@${manifest.version}`, name, version: manifest.version, aliases: [], resolved: null, integrity: manifest._integrity ?? null, source: 'registry', direct: true, dev: false, optional: false, peer: false, workspaces: ['.'], paths: [['tree', name]], instances: 1, lockfileLine: null, hasInstallScript: null };
      const [reported] = classify({ packages: [pkg], catalog, signals: [], packageEvidence: [evidence] }).tools;
      return { name, version: manifest.version, reported, code: inferAnswers(evidence, catalog), evidence };
    } catch (error) {
      return { name, error: error instanceof Error ? error.message : String(error) };
    }
  }),
);

let compared = 0;
let matched = 0;
let decided = 0;
let decidedMatched = 0;
const perAnswer = Object.fromEntries(ANSWERS.map((key) => [key, { matched: 0, decided: 0 }]));
const rows = [];
for (const result of results) {
  if (result.error) {
    rows.push(`  ! ${result.name}: ${result.error}`);
    continue;
  }
  const misses = [];
  for (const key of ANSWERS) {
    const reported = result.reported[key];
    const code = result.code[key];
    compared++;
    const undetermined = code === 'unknown' || code === null;
    if (!undetermined) {
      decided++;
      perAnswer[key].decided++;
    }
    if (reported === code) {
      matched++;
      decidedMatched++;
      perAnswer[key].matched++;
    } else {
      misses.push(`${key}: report ${reported}, code ${undetermined ? 'undetermined' : code}`);
    }
  }
  if (misses.length > 0 || verbose) {
    const facts = `hosts ${result.evidence.hosts.map((h) => h.value).slice(0, 4).join(',') || '-'}; patches ${result.evidence.patches.map((p) => p.value).join(',') || '-'}; imports ${result.evidence.imports.map((i) => i.value).join(',') || '-'}; wrappers ${result.evidence.wrappers.map((w) => w.value).slice(0, 3).join(',') || '-'}; llm paths ${result.evidence.llmPaths.length}; server ${result.evidence.servesHttp.length}`;
    rows.push(`  ${misses.length === 0 ? '✓' : '✗'} ${result.name}@${result.version} (${result.reported.role}; code says ${result.code.role})${misses.length ? `\n      ${misses.join('\n      ')}` : ''}\n      ${facts}`);
  }
}

const read = results.filter((result) => !result.error).length;
const print = (line) => process.stdout.write(`${line}\n`);
const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
print(rows.join('\n'));
print('');
print(`packages read: ${read} of ${names.length}`);
print(`per-package answers matching the published code: ${matched}/${compared} = ${pct(matched, compared)} (an answer the code leaves undetermined counts as a miss)`);
print(`  where the code decides the answer: ${decidedMatched}/${decided} = ${pct(decidedMatched, decided)}`);
for (const key of ANSWERS) print(`  ${key}: ${perAnswer[key].matched}/${read} = ${pct(perAnswer[key].matched, read)}`);
