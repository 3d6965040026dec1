/** The shipped code of one package version, read from its tarball in memory. */
export interface PackageFiles {
  /** Text of each code file and of `package.json`, by path inside the package (`lib/index.js`). */
  files: Map<string, string>;
  /** Entries not read: native binaries, files over the per-entry bound, files past the total bound. */
  skipped: Array<{ path: string; reason: 'binary' | 'too-large' | 'over-total' }>;
  /** True when a bound stopped the read: what was not read was not compared. */
  truncated: boolean;
}

export type IntegrityStatus = 'verified' | 'mismatch' | 'unchecked';

export type TarballRead =
  | { ok: true; integrity: IntegrityStatus; contents: PackageFiles }
  | { ok: false; failure: 'integrity-mismatch' | 'unreadable'; message: string };

/** Where the code of a file runs when the package is installed or used. */
export type RunsAt = 'install' | 'import' | 'bundled';

export type SignalKind =
  | 'install-script'
  | 'obfuscation'
  | 'dynamic-code'
  | 'endpoint'
  | 'network-send'
  | 'network-hook'
  | 'env-enumeration'
  | 'credential-path'
  | 'wallet'
  | 'secret-key'
  | 'child-process';

/** One occurrence of something the analyzer looks for. */
export interface CodeSignal {
  kind: SignalKind;
  /** What makes two occurrences the same thing across versions (host name, normalised statement, pattern name). */
  key: string;
  file: string;
  line: number;
  /** The line around the match, escaped and shortened (never more than ~160 characters). */
  excerpt: string;
  runsAt: RunsAt;
}

export type ReleaseSeverity = 'high' | 'medium';

/** What one release added against its predecessor. */
export interface ReleaseDiff {
  name: string;
  version: string;
  previousVersion: string;
  /** One signal per fingerprint the predecessor did not have, in file and line order. */
  added: CodeSignal[];
  /** Why the release is judged as it is, in words a reviewer reads; empty when it is not flagged. */
  reasons: string[];
  severity: ReleaseSeverity | null;
  /** Some files of either version were not read (see PackageFiles.truncated). */
  truncated: boolean;
}
