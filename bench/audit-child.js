// One audit in its own process, so its wall time and peak RSS are its own. The report goes to a
// file, as `ai-chain-audit --json > report.json` would write it; the bench reads it after timing.
import { closeSync, openSync, writeSync } from 'node:fs';
import { preloadForArgs } from '../dist/bin/preload.js';
import { peakRssKb } from './peak-rss.js';

// as the executable starts: the document worker first, then the rest of the command line
preloadForArgs(process.argv.slice(2), process.env);
const { runCli } = await import('../dist/bin/run.js');

const reportFile = process.env.BENCH_REPORT_FILE;
if (!reportFile) throw new Error('audit-child.js needs BENCH_REPORT_FILE');
const out = openSync(reportFile, 'w');
let stderr = '';
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => void writeSync(out, text),
  stderr: (text) => (stderr += text),
  env: process.env,
  stdoutIsTty: false,
});
closeSync(out);
const cpu = process.cpuUsage();
process.send({ code, maxRssKb: peakRssKb(), cpuMs: (cpu.user + cpu.system) / 1000, reportFile, stderr: stderr.slice(0, 500) });
