import { Command, Option } from 'commander';
import { FORMATS, type FormatName } from '../formats/names.js';
import { DEFAULT_FAIL_ON } from '../policy/policy.js';
import type { FailOn } from '../model/severity.js';
import { DEFAULT_CONCURRENCY, DEFAULT_STALL_TIMEOUT_MS } from '../registry/transport/client.js';
import { TOOL } from '../model/tool.js';
import { DEFAULT_SOURCE_LIMITS } from '../ai/evidence/source.js';
import type { CliIo } from './io.js';
import { parseConcurrency, parseFailOn, parseFetchTimeout, parseMaxSourceFiles, parseDurationFlag, parseNow } from './options.js';

/** The flags as commander parses them; a flag that was not given is undefined (the policy file or a default decides). */
export interface CliOptions {
  format: FormatName;
  json?: boolean;
  output: string[];
  policy?: string;
  failOn?: FailOn;
  offline?: boolean;
  registry?: string;
  now?: Date;
  minReleaseAge?: number;
  releaseDiffWindow?: number;
  concurrency?: number;
  maxSourceFiles?: number;
  /** Milliseconds (the flag takes seconds). */
  fetchTimeout?: number;
  trustedRoot?: string;
  base?: string;
  baseLockfile?: string;
  failOnExisting?: boolean;
  resolveImages?: boolean;
  color: boolean;
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

export function buildProgram(io: CliIo): Command {
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
      new Option('--fail-on <severity>', `exit 1 when a finding is at or above this severity (critical|high|medium|low|info|none) (default: "${DEFAULT_FAIL_ON}", or the policy file's)`).argParser(
        parseFailOn,
      ),
    )
    .option('--offline', 'do not contact the registry; facts that are not cached are reported as unknown')
    .option('--registry <url>', 'registry URL (default: from npm configuration)')
    .option('--resolve-images', "resolve gateway images' tags to a digest and build time through their registry (the OCI distribution API; only the image name is sent)")
    .option('--trusted-root <file>', 'Sigstore trusted root (JSON) to verify attestations against, e.g. a private Sigstore instance (default: the public-good root via TUF, embedded copy when offline)')
    .addOption(new Option('--now <time>', 'evaluate the audit as of this ISO 8601 time (reproducible runs, incident replays)').argParser(parseNow))
    .addOption(
      new Option('--min-release-age <duration>', 'minimum age of a locked version, e.g. 7d, 36h, 90m (default 1d; AI gateways and AI cost tools 7d)').argParser(
        parseDurationFlag,
      ),
    )
    .addOption(
      new Option('--release-diff-window <duration>', "compare the code of releases published within this window with their predecessor's, e.g. 30d, 2w (default 30d; AI gateways and AI cost tools at any age)").argParser(
        parseDurationFlag,
      ),
    )
    .option('--base <git-ref>', 'also audit the project as it was at this git revision (read from git objects, no checkout) and report what changed; the gate counts new findings only')
    .option('--base-lockfile <file>', 'like --base for a tree outside git: the base is the current package.json files with this lockfile')
    .option('--fail-on-existing', 'with --base: findings the base already had count for the gate too')
    .addOption(new Option('--concurrency <n>', `registry requests in flight at once (default ${DEFAULT_CONCURRENCY})`).argParser(parseConcurrency))
    .addOption(new Option('--max-source-files <n>', `source files the AI analysis parses; files that import AI packages or name endpoints come first (default ${DEFAULT_SOURCE_LIMITS.maxFiles})`).argParser(parseMaxSourceFiles))
    .addOption(new Option('--fetch-timeout <seconds>', `a registry transfer that receives nothing for this long has stalled: retried once, then reported (default ${DEFAULT_STALL_TIMEOUT_MS / 1000}; a slow transfer that keeps moving never times out)`).argParser(parseFetchTimeout))
    .option('--no-color', 'disable colours (also honoured: NO_COLOR)')
    .option('-q, --quiet', 'print only findings at or above the --fail-on threshold and the summary line')
    .option('--verbose', 'list every finding in the text report, also those below --fail-on (grouped per rule by default)')
    .option('--debug', 'print stack traces for errors')
    .addHelpText(
      'after',
      '\nCommands:\n  catalog [--json]  list the AI tools catalog (roles, default answers, modes, sources)\n\nExit codes:\n  0  audit completed, nothing at or above --fail-on\n  1  audit completed, findings at or above --fail-on (with --base: new ones)\n  2  the audit could not be completed (bad input, unreachable registry, internal error)',
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError();
}
