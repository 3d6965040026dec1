import { AuditError } from '../model/errors.js';
import { FORMATS, isFormatName, type FormatName } from '../formats/names.js';

/** Where one rendering of the report goes: a file, or stdout when `file` is null. */
export interface OutputTarget {
  format: FormatName;
  file: string | null;
}

/**
 * `--output <file>` sends the `--format` output to a file instead of stdout;
 * `--output <format>=<file>` adds a file in another format while stdout keeps `--format`.
 * `-` as the file means stdout. One audit, any number of renderings.
 */
export function outputTargets(format: FormatName, specs: readonly string[]): OutputTarget[] {
  const targets: OutputTarget[] = [];
  let replacesStdout = false;
  for (const spec of specs) {
    const typed = /^([a-z]+)=(.*)$/.exec(spec);
    if (typed && !isFormatName(typed[1] ?? '')) {
      throw new AuditError('EUSAGE', `Unknown format "${typed[1]}" in --output ${spec} (expected one of ${FORMATS.join(', ')}).`);
    }
    const target: OutputTarget = typed ? { format: typed[1] as FormatName, file: typed[2] ?? '' } : { format, file: spec };
    if (target.file === '') throw new AuditError('EUSAGE', `--output ${spec} names no file.`);
    if (target.file === '-') target.file = null;
    if (!typed) replacesStdout = true;
    targets.push(target);
  }
  if (!replacesStdout && !targets.some((target) => target.file === null)) targets.unshift({ format, file: null });
  const stdoutTargets = targets.filter((target) => target.file === null);
  if (stdoutTargets.length > 1) throw new AuditError('EUSAGE', 'Only one output can go to stdout; give the others a file name.');
  const files = targets.flatMap((target) => (target.file === null ? [] : [target.file]));
  const twice = files.find((file, index) => files.indexOf(file) !== index);
  if (twice) throw new AuditError('EUSAGE', `--output names ${twice} twice.`);
  return targets;
}
