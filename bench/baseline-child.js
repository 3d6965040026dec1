// npm's own `npm audit signatures` algorithm, in its own process: the registry's keys, then
// pacote.manifest(name@version, { verifySignatures }) for every locked package, 20 at a time.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { peakRssKb } from './peak-rss.js';

const require = createRequire(import.meta.url);
const pacote = require('pacote');
const fetch = require('npm-registry-fetch');

const job = JSON.parse(await readFile(process.argv[2], 'utf8'));
const opts = { registry: job.registry, cache: job.cache };
const { keys } = await fetch.json('-/npm/v1/keys', opts);
const registryKey = `//${new URL(job.registry).host}${new URL(job.registry).pathname}`;
const withKeys = { ...opts, verifySignatures: true, [`${registryKey}:_keys`]: keys.map((key) => ({ ...key, pemkey: `-----BEGIN PUBLIC KEY-----\n${key.key}\n-----END PUBLIC KEY-----` })) };

let verified = 0;
let failed = 0;
const queue = [...job.specs];
async function worker() {
  for (let spec = queue.shift(); spec; spec = queue.shift()) {
    try {
      const manifest = await pacote.manifest(spec, withKeys);
      if (manifest._signatures?.length) verified++;
    } catch {
      failed++;
    }
  }
}
await Promise.all(Array.from({ length: 20 }, worker));
const cpu = process.cpuUsage();
process.send({ verified, failed, maxRssKb: peakRssKb(), cpuMs: (cpu.user + cpu.system) / 1000 });
