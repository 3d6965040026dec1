export interface ReportError {
  /** What could not be determined, e.g. `registry`, `lockfile`, or a package id. */
  scope: string;
  message: string;
  package?: { name: string; version: string | null };
}
