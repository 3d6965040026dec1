import type { CliIo } from './io.js';

/** Colour on stdout: not with --no-color or NO_COLOR; on a terminal, or anywhere with FORCE_COLOR. */
export function colorOnStdout(colorFlag: boolean, io: Pick<CliIo, 'env' | 'stdoutIsTty'>): boolean {
  return colorFlag && !('NO_COLOR' in io.env) && (io.stdoutIsTty || 'FORCE_COLOR' in io.env);
}
