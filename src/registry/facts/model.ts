import type { ReportError } from '../../model/report-error.js';

/**
 * What the registry says about locked versions: the contract between the registry stage
 * and everything after it (checks, provenance, AI analysis). A fact that could not be
 * obtained is `null` with a `status` saying why — never a default that looks fine.
 */

export interface RegistrySignature {
  keyid: string;
  sig: string;
}

export interface AttestationsRef {
  url: string;
  provenance?: { predicateType: string };
}

export interface VersionFacts {
  version: string;
  /** From the full document's `time[version]`; null when only the abbreviated document was read. */
  publishedAt: string | null;
  integrity: string | null;
  tarball: string | null;
  deprecated: string | null;
  /** preinstall / install / postinstall scripts the version declares; null when unknown. */
  installScripts: Record<string, string> | null;
  /** `_npmUser.name`; null when unknown. */
  publisher: string | null;
  /** The repository URL the version's package.json declares. */
  repository: string | null;
  signatures: RegistrySignature[];
  attestations: AttestationsRef | null;
  /** `dist.shasum` (hex sha1), for lockfiles that record only a sha1 integrity. */
  shasum?: string | null;
}

export type FactsStatus =
  | 'ok'
  | 'package-not-found' // the registry has no such package
  | 'version-not-found' // the package exists, the locked version does not (see `removed`)
  | 'error' // the document could not be fetched or parsed
  | 'not-cached' // --offline and nothing cached
  | 'not-applicable'; // not a registry package (git, file, remote)

export interface PackageFacts {
  id: string;
  name: string;
  version: string;
  status: FactsStatus;
  error: string | null;
  locked: VersionFacts | null;
  /** The version published just before the locked one. */
  previous: VersionFacts | null;
  /** Up to a few versions published before the locked one, newest first. */
  earlier: VersionFacts[];
  /** Which document the facts come from: the abbreviated one has no publish times and no publishers. */
  document?: 'abbreviated' | 'full' | null;
  /** The document's `modified` time: every version was published at or before it. */
  modified?: string | null;
  /** The `latest` dist-tag. */
  latest?: string | null;
  /**
   * For `version-not-found`: true when the registry's `time` still records the version (published,
   * then removed), false when the registry never listed it (a mirror gap, a private copy), null
   * when that is unknown (its full document could not be read).
   */
  removed?: boolean | null;
}

export interface RegistryKey {
  keyid: string;
  keytype: string;
  scheme: string;
  /** Base64 DER SubjectPublicKeyInfo. */
  key: string;
  expires: string | null;
}

export interface RegistryFacts {
  /** Facts by `LockedPackage.id`. */
  packages: Map<string, PackageFacts>;
  /** Signing keys by registry base URL; null when that registry publishes none. */
  keys: Map<string, RegistryKey[] | null>;
  errors: ReportError[];
}
