import { readFileSync } from 'node:fs';
import { runCli } from '../../src/cli/run.js';
import { expectValidReport } from './report-schema.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with captured output and a controlled environment. Every JSON report
 * it prints or writes (`--json`, `--format json`, `--output json=<file>`) must validate against
 * schema/report.schema.json, or the calling test fails.
 */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    stdoutIsTty: false,
  });
  for (const report of jsonReportsOf(args, stdout)) expectValidReport(JSON.parse(report));
  return { code, stdout, stderr };
}

function jsonReportsOf(args: string[], stdout: string): string[] {
  const reports: string[] = [];
  const formatIndex = args.indexOf('--format');
  const jsonFormat = args.includes('--json') || (formatIndex >= 0 && args[formatIndex + 1] === 'json');
  const outputs = args.flatMap((arg, index) => (arg === '-o' || arg === '--output' ? [args[index + 1] ?? ''] : []));
  const bare = outputs.filter((spec) => !/^[a-z]+=/.test(spec));
  if (jsonFormat && bare.length === 0 && stdout.trim().startsWith('{')) reports.push(stdout);
  const files = [...outputs.filter((spec) => spec.startsWith('json=')).map((spec) => spec.slice(5)), ...(jsonFormat ? bare : [])];
  for (const file of files) {
    try {
      reports.push(readFileSync(file, 'utf8'));
    } catch {
      // not written: the run failed before output, which the test itself checks
    }
  }
  return reports;
}
