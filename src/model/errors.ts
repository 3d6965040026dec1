/**
 * An error the user can act on. The CLI prints `message` on one line and exits 2;
 * the stack is shown only with --debug.
 */
export type AuditErrorCode =
  | 'EPROJECT_MISSING'
  | 'EMANIFEST_MISSING'
  | 'EMANIFEST_PARSE'
  | 'ELOCKFILE_PARSE'
  | 'ELOCKFILE_UNSUPPORTED'
  | 'ECONFIG'
  | 'EPOLICY'
  | 'EUSAGE'
  | 'EREGISTRY_UNREACHABLE'
  | 'ETRUSTROOT'
  | 'EOUTPUT';

export class AuditError extends Error {
  readonly code: AuditErrorCode;
  readonly file: string | undefined;

  constructor(code: AuditErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuditError';
    this.code = code;
    this.file = options.file;
  }
}

export function isAuditError(error: unknown): error is AuditError {
  return error instanceof AuditError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
