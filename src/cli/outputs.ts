import { appendFile } from 'node:fs/promises';
import { stderrLine } from '../formats/escape.js';
import { isAbsolute, relative, resolve } from 'node:path';
import { formatReport, type FormatOptions } from '../formats/index.js';
import type { VersionControl } from '../formats/sarif.js';
import { AuditError, errorMessage } from '../model/errors.js';
import { countsForGate } from '../report/diff/diff-reports.js';
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
  const render = (target: OutputTarget, color: boolean) =>
    formatReport(options.quiet && target.format === 'text' ? quietView(report) : report, target.format, { ...base, color, verbose: options.verbose === true });
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

/** `--quiet`: only what fails the gate, and the summary. */
function quietView(report: Report): Report {
  return {
    ...report,
    notices: [],
    aiTools: [],
    findings: report.findings.filter((finding) => countsForGate(finding, report.summary.failOn, report.diff?.gate)),
  };
}
