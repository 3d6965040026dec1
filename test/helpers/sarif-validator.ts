import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// SARIF2006 fetches every URI in the log over the network; tests stay offline.
const OFFLINE_CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" />
  </Properties>
</Properties>
`;

export interface SarifValidation {
  errors: string[];
  warnings: string[];
  notes: string[];
}

/**
 * Microsoft's SARIF validator from @microsoft/sarif-multitool (a .NET single-file binary in the
 * per-platform package). Our installs run no lifecycle scripts, so the package's own
 * `chmod u+x` never ran: a copy of the binary is made executable in a temp dir instead.
 * Null when no binary exists for this platform.
 */
export async function sarifValidator(): Promise<((file: string) => Promise<SarifValidation>) | null> {
  const require = createRequire(import.meta.url);
  let binary: string;
  try {
    binary = require(`@microsoft/sarif-multitool-${process.platform}`) as string;
    if (process.platform === 'win32' && !binary.endsWith('.exe')) binary += '.exe';
    await access(binary, constants.R_OK);
  } catch {
    return null;
  }
  const executable = await executableCopy(binary);
  const work = await mkdtemp(join(tmpdir(), 'aca-sarif-validate-'));
  const config = join(work, 'config.xml');
  await writeFile(config, OFFLINE_CONFIG);
  let runs = 0;
  return async (file) => {
    const out = join(work, `validation-${runs++}.sarif`);
    // exit code 1 just means "results found"; the log says which
    await run(executable, ['validate', file, '--output', out, '--config', config, '--level', 'Error;Warning;Note', '--kind', 'Fail'], { timeout: 120_000 }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 1) throw error;
    });
    const log = JSON.parse(await readFile(out, 'utf8')) as { runs: Array<{ results?: Array<{ level?: string; kind?: string; ruleId: string; message: { text?: string; id?: string; arguments?: string[] }; locations?: unknown }> }> };
    const validation: SarifValidation = { errors: [], warnings: [], notes: [] };
    for (const result of log.runs.flatMap((run) => run.results ?? [])) {
      if (result.kind === 'pass') continue;
      const text = `${result.ruleId}: ${result.message.text ?? `${result.message.id ?? ''} ${(result.message.arguments ?? []).join(' | ')}`}`;
      if (result.level === 'error') validation.errors.push(text);
      else if (result.level === 'note') validation.notes.push(text);
      else validation.warnings.push(text);
    }
    return validation;
  };
}

async function executableCopy(binary: string): Promise<string> {
  try {
    await access(binary, constants.X_OK);
    return binary;
  } catch {
    const dir = await mkdtemp(join(tmpdir(), 'aca-sarif-multitool-'));
    // the tool reads its schema and settings from files beside it
    for (const entry of await readdir(dirname(binary))) {
      if (/\.(json|config)$/.test(entry)) await copyFile(join(dirname(binary), entry), join(dir, entry));
    }
    const copy = join(dir, 'Sarif.Multitool');
    await copyFile(binary, copy);
    await chmod(copy, 0o755);
    return copy;
  }
}
