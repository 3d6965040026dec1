import { resolve, sep } from 'node:path';
import { audit, type AuditOptions } from './audit.js';
import { materializeGitBase } from './base/git-base.js';
import { AuditError, isAuditError } from './model/errors.js';
import { materializeLockfileBase } from './base/lockfile-base.js';
import type { BaseSide } from './base/materialize.js';
import type { Report } from './report/model.js';
import { diffReports, passesWithBaseline } from './report/diff/diff-reports.js';
import type { ReportDiff } from './report/diff/model.js';

/** `--base <git-ref>` or `--base-lockfile <file>`. */
export type BaseSpec = { ref: string } | { lockfile: string };

export type ReportWithBaseline = Report & { diff: ReportDiff };

export interface BaselineOptions {
  /** `--fail-on-existing`: findings the base already had count for the gate too. */
  failOnExisting: boolean;
}

/**
 * Audits the project and its base under the same policy, at the same moment and with the same
 * registry client, and reports the difference. The base is written out first, so a bad ref
 * stops the run before the long part; its folder is removed whatever happens.
 */
export async function auditWithBase(dir: string, options: AuditOptions, spec: BaseSpec, gate: BaselineOptions, run: typeof audit = audit): Promise<ReportWithBaseline> {
  const root = resolve(dir);
  const side = 'ref' in spec ? await materializeGitBase(root, spec.ref) : await materializeLockfileBase(root, resolve(spec.lockfile));
  try {
    const now = options.now ?? (options.clock ?? (() => new Date()))();
    const head = await run(root, { ...options, now });
    const { onProgress: _progress, ...quiet } = options;
    const base = await run(side.dir, { ...quiet, now, inventoryCache: false }).catch((error: unknown) => {
      throw atTheBase(error, side);
    });
    return withBaseline(head, base, side, gate);
  } finally {
    await side.cleanup();
  }
}

/** An error reading the base names the base and the file in it, not the private folder it was written to. */
function atTheBase(error: unknown, side: BaseSide): unknown {
  if (!isAuditError(error)) return error;
  return new AuditError(error.code, `At the base (${side.ref}): ${withoutFolder(error.message, side)}`, { cause: error });
}

function withoutFolder(text: string, side: Pick<BaseSide, 'dir'>): string {
  return text.split(`${side.dir}${sep}`).join('').split(side.dir).join('.');
}

export function withBaseline(head: Report, base: Report, side: Pick<BaseSide, 'ref' | 'commit' | 'notices' | 'dir'>, gate: BaselineOptions): ReportWithBaseline {
  const { diff, findings } = diffReports(base, head, { ref: side.ref, commit: side.commit, gate: gate.failOnExisting ? 'all' : 'new' });
  const notices = [...head.notices, ...side.notices];
  if (base.errors.length > 0) {
    // what the base's audit could not establish may hide findings it had: those then count as new, never the other way round
    notices.push(`The audit of the base could not establish everything (${base.errors.length} ${base.errors.length === 1 ? 'error' : 'errors'}, first: ${base.errors[0]?.scope}: ${withoutFolder(base.errors[0]?.message ?? '', side)}); findings it may have had are counted as new.`);
  }
  return { ...head, findings, diff, notices, summary: { ...head.summary, passed: passesWithBaseline(head, findings, gate.failOnExisting) } };
}
