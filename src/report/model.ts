import type { AiTier } from '../model/tier.js';
import type { LockedPackage, LockfileFormat } from '../inventory/model.js';
import type { AttestedSource } from '../provenance/slsa.js';
import type { ProvenanceStatus } from '../provenance/model.js';
import type { SignatureStatus } from '../provenance/signatures.js';
import type { FactsStatus } from '../registry/facts/model.js';
import type { AiRole } from '../ai/catalog.js';
import type { AiToolReport } from '../ai/model.js';
import type { Finding, Location } from '../model/finding.js';
import type { ReportError } from '../model/report-error.js';
import type { RuleId } from '../model/rule-id.js';
import type { ReportDiff } from './diff/model.js';

export type { Finding, Location, Suppression } from '../model/finding.js';
export type { ReportError } from '../model/report-error.js';
export type { AiAnswerName, AiConfidence, AiEndpointReport, AiHosting, AiRoute, AiToolEvidence, AiToolKind, AiToolOrigin, AiToolReport } from '../ai/model.js';
export type { ProvenanceStatus } from '../provenance/model.js';
export type { SignatureStatus } from '../provenance/signatures.js';
export type { AllowListEntryReport } from '../policy/allow-list.js';
import type { AllowListEntryReport } from '../policy/allow-list.js';
import type { FailOn, Severity } from '../model/severity.js';
import type { Unchecked } from './unchecked.js';
export type { Unchecked } from './unchecked.js';

/** Bumped on every change to the JSON report: major for breaking changes, minor for additions. */
export const REPORT_SCHEMA_VERSION = '1.5.0';

/** Registry facts statuses, plus `not-gathered` (the registry stage did not run). */
export type FactsStatusView = FactsStatus | 'not-gathered';

/** What the registry said about the locked version (`facts` in the JSON report); null where not obtained. */
export interface PackageFactsView {
  /** `ok`, `version-not-found` (unpublished), `package-not-found`, `error`, `not-cached` (--offline), `not-applicable` (git, file, remote), `not-gathered` (registry stage not run). */
  status?: FactsStatusView;
  /** Exact publish time; null when only the abbreviated document was needed. */
  publishedAt: string | null;
  /** When the exact time was not needed: every version of the package was published at or before this. */
  publishedBefore?: string | null;
  integrity?: string | null;
  deprecated?: string | null;
  /** preinstall/install/postinstall scripts; null when unknown. */
  installScripts?: Record<string, string> | null;
  /** The npm account that published the version; null when unknown (only read from the full document). */
  publisher?: string | null;
  previousVersion?: string | null;
  hasSignatures?: boolean | null;
  hasAttestations?: boolean | null;
  /** Why the facts are missing, for `error` and the not-found statuses. */
  error?: string | null;
}

/** A locked package as the report shows it: the inventory's fields plus what the later stages found. */
export interface ReportPackage
  extends Pick<
    LockedPackage,
    'id' | 'name' | 'version' | 'aliases' | 'source' | 'resolved' | 'integrity' | 'direct' | 'dev' | 'optional' | 'peer' | 'workspaces' | 'paths'
  > {
  aiTier: AiTier | null;
  facts: PackageFactsView;
  provenance: ProvenanceStatus;
  /** Where and how the version was built, from its verified SLSA provenance; null otherwise. */
  provenanceSource: AttestedSource | null;
  /** The registry signature over name@version:integrity. */
  signature: SignatureStatus;
}

export interface Summary {
  passed: boolean;
  failOn: FailOn;
  /** Findings that count: everything in findings[] except suppressed ones (as are bySeverity and byRule). */
  findings: number;
  /** Findings accepted by a live allow-list entry. */
  suppressed: number;
  bySeverity: Record<Severity, number>;
  byRule: Partial<Record<RuleId, number>>;
  packages: number;
  directPackages: number;
  aiTools: number;
  provenance: Record<ProvenanceStatus, number>;
  signatures: Record<SignatureStatus, number>;
  errors: number;
  /** Registry packages whose facts, signature or provenance could not be established, and why: a pass says what it did not check. */
  unchecked: Unchecked[];
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string };
  generatedAt: string;
  now: string;
  project: {
    root: string;
    name: string;
    lockfile: string | null;
    lockfileFormat: LockfileFormat | null;
    lockfileVersion: string | null;
    workspaces: string[];
  };
  summary: Summary;
  packages: ReportPackage[];
  findings: Finding[];
  aiTools: AiToolReport[];
  errors: ReportError[];
  notices: string[];
  allowList: AllowListEntryReport[];
  /** With a base (`--base`, `--base-lockfile`): what the project changes against it. */
  diff?: ReportDiff;
  /** Python AI packages the project's Python files pin, and what their index says; absent when there are none. */
  pythonPackages?: PythonPackageReport[];
}

/** A Python AI package (catalogued) required by the project's requirements, pyproject, Pipfile or Dockerfile. */
export interface PythonPackageReport {
  name: string;
  /** The exact version installed (locked or pinned); null for a range. */
  version: string | null;
  /** The specifier when unpinned ('' for none). */
  range: string | null;
  tool: string;
  tier: AiTier;
  role: AiRole;
  /** The requirement's own file and line. */
  location: Location;
  pinning: 'locked' | 'hashed' | 'exact' | 'constrained' | 'range';
  /** The lockfile (or constraints / compiled requirements file) entry that pins it. */
  pinnedBy: { file: string; line: number; format: string } | null;
  /** The index that answered (no credentials) and where it is configured. */
  index: { url: string; origin: string } | null;
  facts: {
    status: 'ok' | 'not-listed' | 'project-not-found' | 'not-applicable' | 'not-cached' | 'error' | 'not-gathered';
    uploadedAt: string | null;
    yanked: { reason: string | null } | null;
    previousVersion: string | null;
    error: string | null;
  };
  provenance: ProvenanceStatus;
  provenanceProblems: string[];
  publishers: Array<{ kind: string; repository: string | null; workflow: string | null }>;
}
