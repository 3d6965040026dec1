import type { VersionControl } from './sarif.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  /** Text: list every finding, also those below the --fail-on threshold. */
  verbose?: boolean;
  /** Folder file paths are made relative to in SARIF and annotations (the CI checkout); default: the project root. */
  sourceRoot?: string;
  /** The tool's home page, for SARIF tool metadata. */
  informationUri?: string;
  /** The audited repository and commit, for SARIF. */
  versionControl?: VersionControl;
}

export function isFormatName(value: string): value is FormatName {
  return (FORMATS as readonly string[]).includes(value);
}
