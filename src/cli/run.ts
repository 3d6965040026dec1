import { CommanderError } from 'commander';
import { readFile } from 'node:fs/promises';
import { stderrLine } from '../formats/escape.js';
import { resolve } from 'node:path';
import { audit } from '../audit.js';
import type { BaseSpec } from '../audit-with-base.js';
import { loadNpmConfig } from '../config/npm-config.js';
import { isFormatName, type FormatName } from '../formats/names.js';
import { assertDirectory } from '../inventory/index.js';
import { AuditError, errorMessage, isAuditError } from '../model/errors.js';
import { buildPolicy } from '../policy/build.js';
import { loadPolicyFile } from '../policy/file.js';
import { RegistryClient, type RegistryClientOptions } from '../registry/transport/client.js';
import type { Report } from '../report/model.js';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, type CliIo } from './io.js';
import { emit } from './outputs.js';
import { outputTargets } from './output-targets.js';
import { buildProgram, type CliOptions } from './program.js';
import { progressLine } from './progress.js';
import { reportErrorsOnStderr } from './stderr-errors.js';

export { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, type CliIo } from './io.js';

/** Runs the CLI and returns the exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let debug = argv.includes('--debug');
  try {
    // a folder named `catalog` is audited as `./catalog`
    if (argv[0] === 'catalog') return await (await import('./catalog-command.js')).runCatalogCommand(argv.slice(1), io);
    await program.parseAsync(argv, { from: 'user' });
    const options = program.opts<CliOptions>();
    debug = Boolean(options.debug);
    return await runAudit(program.args[0] ?? '.', options, io);
  } catch (error) {
    return handleError(error, io, debug);
  }
}

async function runAudit(dir: string, options: CliOptions, io: CliIo): Promise<number> {
  const format: FormatName = options.json ? 'json' : options.format;
  if (!isFormatName(format)) throw new AuditError('EUSAGE', `Unknown format "${format}".`);
  const targets = outputTargets(format, options.output);
  const root = resolve(dir);
  await assertDirectory(root);
  const policyFile = await loadPolicyFile(root, options.policy === undefined ? undefined : resolve(options.policy));
  const npmConfig = await loadNpmConfig(root, options.registry ? { registry: options.registry } : {}, io.env);
  const policy = buildPolicy({ flags: { failOn: options.failOn, minReleaseAge: options.minReleaseAge, releaseDiffWindow: options.releaseDiffWindow }, file: policyFile, npmConfig });
  const clientOptions: RegistryClientOptions = { offline: Boolean(options.offline), ...(options.concurrency ? { concurrency: options.concurrency } : {}), ...(options.fetchTimeout ? { timeoutMs: options.fetchTimeout } : {}) };
  const registry = (io.registryClient ?? ((config, opts) => new RegistryClient(config, opts)))(npmConfig, clientOptions);
  const progress = progressLine(io.stderr, Boolean(io.stderrIsTty) && !options.quiet);
  const provenance = options.trustedRoot ? { trustedRootFile: resolve(options.trustedRoot) } : {};
  // the Python index comes from the same places pip and uv read it: PIP_*/UV_* variables, pip.conf, uv.toml
  const python = { environment: { env: io.env, platform: process.platform, readFile: (path: string) => readFile(path, 'utf8').catch(() => null) }, resolveImages: Boolean(options.resolveImages) };
  const auditOptions = { policy, registry, provenance, python, ...(options.now ? { now: options.now } : {}), ...(options.maxSourceFiles ? { maxSourceFiles: options.maxSourceFiles } : {}), onProgress: progress.update };
  const base = baseSpecOf(options);
  // the base comparison (git, a second audit, the report diff) is loaded only by runs that ask for it
  const report = await (base ? import('../audit-with-base.js').then(({ auditWithBase }) => auditWithBase(root, auditOptions, base, { failOnExisting: Boolean(options.failOnExisting) })) : audit(root, auditOptions)).finally(progress.finish);
  reportErrorsOnStderr(report, targets, io);
  await emit(report, targets, options, io);
  return exitCodeOf(report);
}

function baseSpecOf(options: CliOptions): BaseSpec | null {
  if (options.base !== undefined && options.baseLockfile !== undefined) throw new AuditError('EUSAGE', '--base and --base-lockfile name two bases; give one.');
  if (options.base !== undefined) return { ref: options.base };
  if (options.baseLockfile !== undefined) return { lockfile: resolve(options.baseLockfile) };
  if (options.failOnExisting) throw new AuditError('EUSAGE', '--fail-on-existing needs a base: --base <git-ref> or --base-lockfile <file>.');
  return null;
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
