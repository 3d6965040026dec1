// One audit in its own process, so its wall time and peak RSS are its own.
import { runCli } from '../dist/bin/run.js';
import { peakRssKb } from './peak-rss.js';

let stdout = '';
let stderr = '';
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => (stdout += text),
  stderr: (text) => (stderr += text),
  env: process.env,
  stdoutIsTty: false,
});
let summary = null;
try {
  const report = JSON.parse(stdout);
  summary = { packages: report.summary.packages, findings: report.summary.findings, byRule: report.summary.byRule, errors: report.errors.length, firstErrors: report.errors.slice(0, 3) };
} catch {
  summary = { unparsable: stdout.slice(0, 200) };
}
const cpu = process.cpuUsage();
process.send({ code, maxRssKb: peakRssKb(), cpuMs: (cpu.user + cpu.system) / 1000, summary, stderr: stderr.slice(0, 500) });
