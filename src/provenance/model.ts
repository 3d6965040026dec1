import type { ReportError } from '../model/report-error.js';
import type { SignatureResult } from './signatures.js';
import type { AttestedSource } from './slsa.js';

export type ProvenanceStatus = 'verified' | 'missing' | 'invalid' | 'unknown';

/** What the provenance stage established for one locked package. */
export interface PackageProvenance {
  id: string;
  name: string;
  version: string;
  signature: SignatureResult;
  provenance: ProvenanceStatus;
  /** Why provenance is missing or unknown; null when verified or invalid. */
  reason: string | null;
  /** Why provenance is invalid, one entry per failed check. */
  problems: string[];
  source: AttestedSource | null;
  predicateTypes: string[];
  /** The registry's publish attestation was present and verified. */
  publishAttestation: boolean;
  /** Earlier versions whose registry metadata lists attestations (newest first). */
  earlierWithProvenance: string[];
  /** The repository the version's package.json declares. */
  declaredRepository: string | null;
}

export interface ProvenanceStats {
  bundles: number;
  verifiedFromCache: number;
  verifiedNow: number;
  threads: number;
  ms: number;
}

export interface ProvenanceFacts {
  packages: Map<string, PackageProvenance>;
  trustRoot: { source: string; digest: string };
  stats: ProvenanceStats;
  errors: ReportError[];
  notices: string[];
}
