import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { appendFile, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { audit } from './audit.js';
import { runCatalogCommand } from './catalog-command.js';
import { AuditError, errorMessage, isAuditError } from './errors.js';
import { stderrLine } from './formats/escape.js';
import { FORMATS, formatReport, isFormatName, type FormatName, type FormatOptions } from './formats/index.js';
import type { VersionControl } from './formats/sarif.js';
import { outputTargets, type OutputTarget } from './output-targets.js';
import { loadPolicyFile, minReleaseAgesFromFile, policyFromFile, type LoadedPolicyFile } from './policy-file.js';
import { assertDirectory } from './inventory/index.js';
import { defaultPolicy, DEFAULT_FAIL_ON, type Policy } from './policy.js';
import { parseConcurrency, parseMinReleaseAge, parseNow, minReleaseAgeOf } from './registry/cli-options.js';
import { DEFAULT_CONCURRENCY, RegistryClient, type RegistryClientOptions } from './registry/client.js';
import { loadNpmConfig, type NpmConfig } from './registry/npm-config.js';
import { progressLine } from './registry/progress.js';
import { reportErrorsOnStderr } from './registry/stderr-errors.js';
import type { Report } from './report/model.js';
import { isSeverity, type FailOn } from './severity.js';
import { TOOL, TOOL_HOMEPAGE } from './version.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INCOMPLETE = 2;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdoutIsTty: boolean;
  /** Enables the progress line on stderr. */
  stderrIsTty?: boolean;
  /** Injected registry client factory (tests); defaults to npm's configuration. */
  registryClient?: (npmConfig: NpmConfig, options: RegistryClientOptions) => RegistryClient;
}

interface CliOptions {
  format: FormatName;
  json?: boolean;
  output: string[];
  policy?: string;
  failOn: FailOn;
  offline?: boolean;
  registry?: string;
  now?: Date;
  minReleaseAge?: number;
  concurrency?: number;
  trustedRoot?: string;
  color: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** Runs the CLI and returns the exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let debug = argv.includes('--debug');
  try {
    // a folder named `catalog` is audited as `./catalog`
    if (argv[0] === 'catalog') return await runCatalogCommand(argv.slice(1), io);
    await program.parseAsync(argv, { from: 'user' });
    const options = program.opts<CliOptions>();
    debug = Boolean(options.debug);
    // flags override the policy file; commander's defaults must not
    const failOnGiven = program.getOptionValueSource('failOn') === 'cli';
    return await runAudit(program.args[0] ?? '.', options, io, failOnGiven);
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
    .option(
      '-o, --output <[format=]file>',
      'write the report to a file instead of stdout; format=file adds a file in another format (repeatable, e.g. -o sarif=audit.sarif -o json=audit.json)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--policy <file>', 'policy file (default: .ai-chain-audit.json in the project root, when present)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (critical|high|medium|low|info|none)')
        .argParser(parseFailOn)
        .default(DEFAULT_FAIL_ON),
    )
    .option('--offline', 'do not contact the registry; facts that are not cached are reported as unknown')
    .option('--registry <url>', 'registry URL (default: from npm configuration)')
    .option('--trusted-root <file>', 'Sigstore trusted root (JSON) to verify attestations against, e.g. a private Sigstore instance (default: the public-good root via TUF, embedded copy when offline)')
    .addOption(new Option('--now <time>', 'evaluate the audit as of this ISO 8601 time (reproducible runs, incident replays)').argParser(parseNow))
    .addOption(
      new Option('--min-release-age <duration>', 'minimum age of a locked version, e.g. 7d, 36h, 90m (default 1d; AI gateways and AI cost tools 7d)').argParser(
        parseMinReleaseAge,
      ),
    )
    .addOption(new Option('--concurrency <n>', `registry requests in flight at once (default ${DEFAULT_CONCURRENCY})`).argParser(parseConcurrency))
    .option('--no-color', 'disable colours (also honoured: NO_COLOR)')
    .option('-q, --quiet', 'print only findings at or above the --fail-on threshold and the summary line')
    .option('--debug', 'print stack traces for errors')
    .addHelpText(
      'after',
      '\nCommands:\n  catalog [--json]  list the AI tools catalog (roles, default answers, modes, sources)\n\nExit codes:\n  0  audit completed, nothing at or above --fail-on\n  1  audit completed, findings at or above --fail-on\n  2  the audit could not be completed (bad input, unreachable registry, internal error)',
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError();
}

function parseFailOn(value: string): FailOn {
  if (value === 'none' || isSeverity(value)) return value;
  throw new InvalidArgumentError('expected one of critical, high, medium, low, info, none.');
}

async function runAudit(dir: string, options: CliOptions, io: CliIo, failOnGiven: boolean): Promise<number> {
  const format: FormatName = options.json ? 'json' : options.format;
  if (!isFormatName(format)) throw new AuditError('EUSAGE', `Unknown format "${format}".`);
  const targets = outputTargets(format, options.output);
  const root = resolve(dir);
  await assertDirectory(root);
  const policyFile = await loadPolicyFile(root, options.policy === undefined ? undefined : resolve(options.policy));
  const npmConfig = await loadNpmConfig(root, options.registry ? { registry: options.registry } : {}, io.env);
  const policy = policyFrom(options, npmConfig, policyFile, failOnGiven);
  const clientOptions: RegistryClientOptions = { offline: Boolean(options.offline), ...(options.concurrency ? { concurrency: options.concurrency } : {}) };
  const registry = (io.registryClient ?? ((config, opts) => new RegistryClient(config, opts)))(npmConfig, clientOptions);
  const progress = progressLine(io.stderr, Boolean(io.stderrIsTty) && !options.quiet);
  const provenance = options.trustedRoot ? { trustedRootFile: resolve(options.trustedRoot) } : {};
  const report = await audit(root, { policy, registry, provenance, ...(options.now ? { now: options.now } : {}), onProgress: progress.update }).finally(progress.finish);
  reportErrorsOnStderr(report, targets, io);
  await emit(report, targets, options, io);
  return exitCodeOf(report);
}

function policyFrom(options: CliOptions, npmConfig: NpmConfig, policyFile: LoadedPolicyFile | null, failOnGiven: boolean): Policy {
  const trustedRegistries = [npmConfig.registry, ...Object.values(npmConfig.scopedRegistries)];
  // npm swaps its default registry for the configured one at install time (replace-registry-host)
  if (npmConfig.flat.replaceRegistryHost === 'npmjs') trustedRegistries.push(npmConfig.defaultRegistry);
  const anyHost = npmConfig.flat.replaceRegistryHost === 'always';
  const fromFile = policyFile ? policyFromFile(policyFile.settings) : {};
  return defaultPolicy({
    ...fromFile,
    failOn: failOnGiven ? options.failOn : (fromFile.failOn ?? options.failOn),
    trustedRegistries: anyHost ? [] : [...new Set(trustedRegistries)],
    minReleaseAge: minReleaseAgeOf(policyFile ? minReleaseAgesFromFile(policyFile.settings) : {}, options.minReleaseAge),
  });
}

async function emit(report: Report, targets: OutputTarget[], options: CliOptions, io: CliIo): Promise<void> {
  const versionControl = versionControlOf(io.env);
  const base: FormatOptions = {
    color: false,
    ...(TOOL_HOMEPAGE ? { informationUri: TOOL_HOMEPAGE } : {}),
    ...(versionControl ? { versionControl } : {}),
    ...sourceRootOf(report, io.env),
  };
  const render = (target: OutputTarget, color: boolean) =>
    formatReport(options.quiet && target.format === 'text' ? quietView(report) : report, target.format, { ...base, color });
  for (const target of targets) {
    if (target.file === null) continue;
    try {
      await writeFile(target.file, render(target, false));
    } catch (error) {
      throw new AuditError('EOUTPUT', `Cannot write ${target.file}: ${errorMessage(error)}.`, { file: target.file, cause: error });
    }
    if (!options.quiet) io.stderr(stderrLine(`Report written to ${target.file} (${target.format}).`));
  }
  const onStdout = targets.find((target) => target.file === null);
  const color = options.color && !('NO_COLOR' in io.env) && (io.stdoutIsTty || 'FORCE_COLOR' in io.env);
  if (onStdout) io.stdout(render(onStdout, color && onStdout.format === 'text'));
  if (io.env.GITHUB_ACTIONS === 'true') await emitGithub(report, onStdout, base, io);
}

/**
 * In GitHub Actions: annotations on the files, and the Markdown summary on the run's page.
 * Annotations go to stderr when stdout carries a machine-readable report, to keep it parseable.
 */
async function emitGithub(report: Report, onStdout: OutputTarget | undefined, base: FormatOptions, io: CliIo): Promise<void> {
  if (onStdout?.format !== 'github') {
    const annotations = formatReport(report, 'github', base);
    const machine = onStdout?.format === 'json' || onStdout?.format === 'sarif';
    if (annotations) (machine ? io.stderr : io.stdout)(annotations);
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (!summaryFile) return;
  try {
    await appendFile(summaryFile, `${formatReport(report, 'markdown', base)}\n`);
  } catch (error) {
    io.stderr(stderrLine(`ai-chain-audit: warning: cannot append the step summary to ${summaryFile}: ${errorMessage(error)}.`));
  }
}

/** The audited repository and commit as GitHub Actions or GitLab CI describe them. */
function versionControlOf(env: NodeJS.ProcessEnv): VersionControl | null {
  const github = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL.replace(/\/$/, '')}/${env.GITHUB_REPOSITORY}` : null;
  const repositoryUri = github ?? env.CI_PROJECT_URL ?? null;
  if (!repositoryUri || !/^https?:\/\//.test(repositoryUri)) return null;
  const revisionId = github ? env.GITHUB_SHA : env.CI_COMMIT_SHA;
  const branch = github ? env.GITHUB_REF : env.CI_COMMIT_REF_NAME;
  return { repositoryUri, ...(revisionId ? { revisionId } : {}), ...(branch ? { branch } : {}) };
}

/** Paths in SARIF and annotations are relative to the checkout when the project sits inside it. */
function sourceRootOf(report: Report, env: NodeJS.ProcessEnv): Pick<FormatOptions, 'sourceRoot'> {
  const workspace = env.GITHUB_WORKSPACE;
  if (!workspace) return {};
  const inside = relative(resolve(workspace), report.project.root);
  return inside.startsWith('..') || isAbsolute(inside) ? {} : { sourceRoot: resolve(workspace) };
}

function quietView(report: Report): Report {
  const failOn = report.summary.failOn;
  const rank = ['info', 'low', 'medium', 'high', 'critical'];
  const threshold = failOn === 'none' ? Infinity : rank.indexOf(failOn);
  return {
    ...report,
    notices: [],
    aiTools: [],
    findings: report.findings.filter((finding) => !finding.suppressed && rank.indexOf(finding.severity) >= threshold),
  };
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
    io.stderr(stderrLine(`ai-chain-audit: ${error.message}`));
  } else {
    io.stderr(stderrLine(`ai-chain-audit: internal error: ${errorMessage(error)}${debug ? '' : ' (run with --debug for details)'}`));
  }
  if (debug && error instanceof Error && error.stack) io.stderr(error.stack.split('\n').map(stderrLine).join(''));
  return EXIT_INCOMPLETE;
}
