import { appendFile } from 'node:fs/promises';
import { stderrLine } from '../formats/escape.js';
import { isAbsolute, relative, resolve } from 'node:path';
import { loadFormatter, type Formatter } from '../formats/load.js';
import type { FormatName, FormatOptions } from '../formats/names.js';
import type { VersionControl } from '../formats/sarif.js';
import { AuditError, errorMessage } from '../model/errors.js';
import { countsForGate } from '../report/diff/gate.js';
import { TOOL_HOMEPAGE } from '../model/tool.js';
import type { Report } from '../report/model.js';
import { colorOnStdout } from './color.js';
import type { CliIo } from './io.js';
import type { OutputTarget } from './output-targets.js';
import { writeOutputFile } from './write-output.js';

/** Renders the report once per output target: files first, then stdout, then GitHub's annotations and step summary. */
export async function emit(report: Report, targets: OutputTarget[], options: { quiet?: boolean | undefined; verbose?: boolean | undefined; color: boolean }, io: CliIo): Promise<void> {
  const versionControl = versionControlOf(io.env);
  const base: FormatOptions = {
    color: false,
    ...(TOOL_HOMEPAGE ? { informationUri: TOOL_HOMEPAGE } : {}),
    ...(versionControl ? { versionControl } : {}),
    ...sourceRootOf(report, io.env),
  };
  const inActions = io.env.GITHUB_ACTIONS === 'true';
  const formatters = await formattersFor([...targets.map((target) => target.format), ...(inActions ? (['github', 'markdown'] as const) : [])]);
  const render = (target: OutputTarget, color: boolean) =>
    formatterOf(formatters, target.format)(options.quiet && target.format === 'text' ? quietView(report) : report, { ...base, color, verbose: options.verbose === true });
  for (const target of targets) {
    if (target.file === null) continue;
    try {
      await writeOutputFile(target.file, render(target, false));
    } catch (error) {
      if (error instanceof AuditError) throw error;
      throw new AuditError('EOUTPUT', `Cannot write ${target.file}: ${errorMessage(error)}.`, { file: target.file, cause: error });
    }
    if (!options.quiet) io.stderr(stderrLine(`Report written to ${target.file} (${target.format}).`));
  }
  const onStdout = targets.find((target) => target.file === null);
  const color = colorOnStdout(options.color, io);
  if (onStdout) io.stdout(render(onStdout, color && onStdout.format === 'text'));
  if (inActions) await emitGithub(report, onStdout, base, formatters, io);
}

/**
 * In GitHub Actions: annotations on the files, and the Markdown summary on the run's page.
 * Annotations go to stderr when stdout carries a machine-readable report, to keep it parseable.
 */
async function emitGithub(report: Report, onStdout: OutputTarget | undefined, base: FormatOptions, formatters: Formatters, io: CliIo): Promise<void> {
  if (onStdout?.format !== 'github') {
    const annotations = formatterOf(formatters, 'github')(report, base);
    const machine = onStdout?.format === 'json' || onStdout?.format === 'sarif';
    if (annotations) (machine ? io.stderr : io.stdout)(annotations);
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (!summaryFile) return;
  try {
    await appendFile(summaryFile, `${formatterOf(formatters, 'markdown')(report, base)}\n`);
  } catch (error) {
    io.stderr(stderrLine(`ai-chain-audit: warning: cannot append the step summary to ${summaryFile}: ${errorMessage(error)}.`));
  }
}

type Formatters = ReadonlyMap<FormatName, Formatter>;

/** The formats a run renders, each formatter loaded once. */
async function formattersFor(formats: readonly FormatName[]): Promise<Formatters> {
  return new Map(await Promise.all([...new Set(formats)].map(async (format) => [format, await loadFormatter(format)] as const)));
}

function formatterOf(formatters: Formatters, format: FormatName): Formatter {
  const formatter = formatters.get(format);
  if (!formatter) throw new Error(`the ${format} formatter was not loaded`);
  return formatter;
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

/** `--quiet`: only what fails the gate, and the summary. */
function quietView(report: Report): Report {
  return {
    ...report,
    notices: [],
    aiTools: [],
    findings: report.findings.filter((finding) => countsForGate(finding, report.summary.failOn, report.diff?.gate)),
  };
}
