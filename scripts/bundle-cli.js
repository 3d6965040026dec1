// `npm run build`, second step: the command line as one module graph of our own code, in dist/bin/.
// Node loads an ES module graph file by file (resolve, read, compile, link), so a start that
// walked ~160 of our modules spent about a tenth of a warm run just loading them. Dependencies
// are not bundled: they stay the exact-pinned packages of npm-shrinkwrap.json, loaded from
// node_modules. What a run may not need (lockfile readers, formatters, the base comparison,
// Sigstore) stays behind dynamic imports, in chunks of its own. The library (dist/index.js) is
// tsc's output, unbundled.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
await rm(`${dist}bin`, { recursive: true, force: true });
await build({
  entryPoints: {
    // loaded first by the executable, alone: it may start the document worker before the rest loads
    preload: `${dist}cli/preload.js`,
    main: `${dist}cli/main.js`,
    run: `${dist}cli/run.js`,
    // worker scripts are found next to the module that starts them (new URL('./…', import.meta.url))
    'document-worker': `${dist}registry/facts/document-worker.js`,
    'verify-worker': `${dist}provenance/verify-worker.js`,
  },
  outdir: `${dist}bin`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
