import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { audit } from './audit.js';
import { AuditError, errorMessage, isAuditError } from './errors.js';
import { FORMATS, formatReport, isFormatName, type FormatName } from './formats/index.js';
import { assertDirectory } from './inventory/index.js';
import { defaultPolicy, DEFAULT_FAIL_ON, type Policy } from './policy.js';
import { loadNpmConfig, type NpmConfig } from './registry/npm-config.js';
import type { Report } from './report/model.js';
import { isSeverity, type FailOn } from './severity.js';
import { TOOL } from './version.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INCOMPLETE = 2;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdoutIsTty: boolean;
}

interface CliOptions {
  format: FormatName;
  json?: boolean;
  output?: string;
  failOn: FailOn;
  offline?: boolean;
  registry?: string;
  color: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** Runs the CLI and returns the exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    const options = program.opts<CliOptions>();
    debug = Boolean(options.debug);
    return await runAudit(program.args[0] ?? '.', options, io);
  } catch (error) {
    return handleError(error, io, debug);
  }
}

function buildProgram(io: CliIo): Command {
  return new Command()
    .name('ai-chain-audit')
    .description('Audit the npm dependency supply chain of a project, strictest for AI gateways and AI cost tools.')
    .version(TOOL.version, '-v, --version')
    .argument('[dir]', 'project directory to audit', '.')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--json', 'shorthand for --format json')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (critical|high|medium|low|info|none)')
        .argParser(parseFailOn)
        .default(DEFAULT_FAIL_ON),
    )
    .option('--offline', 'do not contact the registry; facts that are not cached are reported as unknown')
    .option('--registry <url>', 'registry URL (default: from npm configuration)')
    .option('--no-color', 'disable colours (also honoured: NO_COLOR)')
    .option('-q, --quiet', 'print only findings at or above the --fail-on threshold and the summary line')
    .option('--debug', 'print stack traces for errors')
    .addHelpText(
      'after',
      '\nExit codes:\n  0  audit completed, nothing at or above --fail-on\n  1  audit completed, findings at or above --fail-on\n  2  the audit could not be completed (bad input, unreachable registry, internal error)',
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError();
}

function parseFailOn(value: string): FailOn {
  if (value === 'none' || isSeverity(value)) return value;
  throw new InvalidArgumentError('expected one of critical, high, medium, low, info, none.');
}

async function runAudit(dir: string, options: CliOptions, io: CliIo): Promise<number> {
  const format: FormatName = options.json ? 'json' : options.format;
  if (!isFormatName(format)) throw new AuditError('EUSAGE', `Unknown format "${format}".`);
  const root = resolve(dir);
  await assertDirectory(root);
  const npmConfig = await loadNpmConfig(root, options.registry ? { registry: options.registry } : {}, io.env);
  const policy = policyFrom(options, npmConfig);
  const report = await audit(root, { policy });
  await emit(report, format, options, io);
  return exitCodeOf(report);
}

function policyFrom(options: CliOptions, npmConfig: NpmConfig): Policy {
  const trustedRegistries = [npmConfig.registry, ...Object.values(npmConfig.scopedRegistries)];
  // npm swaps its default registry for the configured one at install time (replace-registry-host)
  if (npmConfig.flat.replaceRegistryHost === 'npmjs') trustedRegistries.push(npmConfig.defaultRegistry);
  const anyHost = npmConfig.flat.replaceRegistryHost === 'always';
  return defaultPolicy({ failOn: options.failOn, trustedRegistries: anyHost ? [] : [...new Set(trustedRegistries)] });
}

async function emit(report: Report, format: FormatName, options: CliOptions, io: CliIo): Promise<void> {
  const color = options.color && !('NO_COLOR' in io.env) && (io.stdoutIsTty || 'FORCE_COLOR' in io.env) && !options.output;
  const shown = options.quiet && format === 'text' ? quietView(report) : report;
  const text = formatReport(shown, format, { color });
  if (options.output) {
    try {
      await writeFile(options.output, text);
    } catch (error) {
      throw new AuditError('EOUTPUT', `Cannot write ${options.output}: ${errorMessage(error)}.`, { file: options.output, cause: error });
    }
    if (!options.quiet) io.stderr(`Report written to ${options.output}.\n`);
    return;
  }
  io.stdout(text);
}

function quietView(report: Report): Report {
  const failOn = report.summary.failOn;
  const rank = ['info', 'low', 'medium', 'high', 'critical'];
  const threshold = failOn === 'none' ? Infinity : rank.indexOf(failOn);
  return { ...report, notices: [], aiTools: [], findings: report.findings.filter((finding) => rank.indexOf(finding.severity) >= threshold) };
}

export function exitCodeOf(report: Report): number {
  if (report.errors.length > 0) return EXIT_INCOMPLETE;
  return report.summary.passed ? EXIT_OK : EXIT_FINDINGS;
}

function handleError(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
    return EXIT_INCOMPLETE;
  }
  if (isAuditError(error)) {
    io.stderr(`ai-chain-audit: ${error.message}\n`);
  } else {
    io.stderr(`ai-chain-audit: internal error: ${errorMessage(error)}${debug ? '' : ' (run with --debug for details)'}\n`);
  }
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return EXIT_INCOMPLETE;
}
