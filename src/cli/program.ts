import { Command, Option } from 'commander';
import { FORMATS, type FormatName } from '../formats/index.js';
import { DEFAULT_FAIL_ON } from '../policy/policy.js';
import type { FailOn } from '../model/severity.js';
import { DEFAULT_CONCURRENCY } from '../registry/transport/client.js';
import { TOOL } from '../model/tool.js';
import type { CliIo } from './io.js';
import { parseConcurrency, parseFailOn, parseMinReleaseAge, parseNow } from './options.js';

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
  concurrency?: number;
  trustedRoot?: string;
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
    .option('--verbose', 'list every finding in the text report, also those below --fail-on (grouped per rule by default)')
    .option('--debug', 'print stack traces for errors')
    .addHelpText(
      'after',
      '\nCommands:\n  catalog [--json]  list the AI tools catalog (roles, default answers, modes, sources)\n\nExit codes:\n  0  audit completed, nothing at or above --fail-on\n  1  audit completed, findings at or above --fail-on\n  2  the audit could not be completed (bad input, unreachable registry, internal error)',
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError();
}
