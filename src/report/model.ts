import type { AiRole, HandlesKeys, RequestPath, SendsPrompts } from '../ai/catalog.js';
import type { AiTier } from '../ai/tiers.js';
import type { LockedPackage, LockfileFormat } from '../inventory/model.js';
import type { AttestedSource } from '../provenance/slsa.js';
import type { RuleId } from '../rules.js';
import type { FailOn, Severity } from '../severity.js';

/** Bumped on every change to the JSON report: major for breaking changes, minor for additions. */
export const REPORT_SCHEMA_VERSION = '1.3.0';

export interface Location {
  /** Relative to the project root. */
  file: string;
  line: number | null;
}

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  package: { name: string; version: string | null } | null;
  /** One sentence saying what is wrong. */
  message: string;
  /** One sentence saying what to do. */
  remediation: string;
  /** Machine-readable facts behind the finding. */
  evidence: Record<string, unknown>;
  location: Location | null;
  /** Why the package is in the tree: dependency paths from the project. */
  paths: string[][];
  aiTier: AiTier | null;
  /** Set when a live allow-list entry of the policy accepts this finding; it then does not count for the gate. */
  suppressed?: Suppression | null;
}

export interface Suppression {
  reason: string;
  expires: string | null;
}

/** An allow-list entry of the policy and what it did in this run. */
export interface AllowListEntryReport {
  rule: RuleId;
  package: string | null;
  version: string | null;
  reason: string;
  expires: string | null;
  /** `expired`: past its date; it suppresses nothing and the findings it matches count again. */
  status: 'active' | 'expired';
  /** Findings of this run the entry matches (suppressed when active). */
  matches: number;
}

export type ProvenanceStatus = 'verified' | 'missing' | 'invalid' | 'unknown';

export type SignatureStatus = 'verified' | 'missing' | 'invalid' | 'unknown';

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

export type FactsStatusView = 'ok' | 'package-not-found' | 'version-not-found' | 'error' | 'not-cached' | 'not-applicable' | 'not-gathered';

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

export interface AiToolEvidence {
  kind: 'catalog' | 'package' | 'source' | 'config' | 'deploy';
  detail: string;
  /** Relative to the project root, or `name@version/path` inside a package tarball. */
  file?: string;
  line?: number;
  /** The answers this evidence set or changed (absent: supporting context). */
  supports?: AiAnswerName[];
}

export type AiAnswerName = 'requestPath' | 'handlesKeys' | 'sendsPrompts' | 'singlePointOfFailure';

/** Where the tool came from: an npm package, a Python package, a container image, or a hosted endpoint the source calls. */
export type AiToolOrigin = 'npm' | 'pypi' | 'container' | 'endpoint';

/** Who runs the hop or the backend the tool talks to: the vendor, the project itself, or someone unknown. */
export type AiHosting = 'vendor' | 'self-hosted' | 'unknown';

/** How an answer is known: the project shows it, the package does it by default and the project uses it, or it is only in the tree. */
export type AiConfidence = 'observed' | 'default' | 'possible';

/** `package`: an npm or Python package; `endpoint`: a gateway, proxy or provider API the calls go to; `deployment`: an image the project runs. */
export type AiToolKind = 'package' | 'endpoint' | 'deployment';

/** One place the project sends LLM calls somewhere: a base URL option, an env var, a fetch target, a model id. */
export interface AiRoute {
  /** `base-url`: an SDK option; `env`: an SDK's base-URL variable; `fetch`: a plain HTTP call; `model-id`: an AI SDK `provider/model` string; `client`: a gateway SDK's own default. */
  how: 'base-url' | 'env' | 'fetch' | 'model-id' | 'client';
  /** The package whose calls take the route, or null for plain HTTP calls. */
  from: string | null;
  detail: string;
  file: string;
  line: number | null;
}

export interface AiEndpointReport {
  /** The host the calls go to; null for a hosted gateway reached by an SDK's built-in default. */
  host: string | null;
  /** Packages (or `fetch`) whose calls reach it. */
  reachedBy: string[];
  routes: AiRoute[];
}

export interface AiToolReport {
  name: string;
  version: string | null;
  kind: AiToolKind;
  origin: AiToolOrigin;
  /** Catalog tool name; `unknown` for packages found by their code alone. */
  tool: string;
  vendor: string;
  tier: AiTier;
  role: AiRole | 'provider-api' | 'unknown';
  requestPath: RequestPath;
  handlesKeys: HandlesKeys;
  sendsPrompts: SendsPrompts;
  singlePointOfFailure: boolean | null;
  /** Who runs the hop or the backend; null when nothing leaves the process. */
  hosting: AiHosting | null;
  /** The gateway(s) this tool's LLM calls go through, e.g. `OpenRouter (openrouter.ai)`; null when direct. */
  via: string | null;
  /** How each of the four answers is known; only `observed` and `default` raise a finding above info. */
  confidence: Record<AiAnswerName, AiConfidence>;
  /** Names of the endpoint entries this tool's calls go through. */
  reaches: string[];
  /** Set on `endpoint` entries. */
  endpoint: AiEndpointReport | null;
  /** Base URLs the analysis could not resolve (an unset variable, a computed host): they may lead to a gateway. */
  unresolved: AiRoute[];
  summary: string;
  evidence: AiToolEvidence[];
}

export interface ReportError {
  /** What could not be determined, e.g. `registry`, `lockfile`, or a package id. */
  scope: string;
  message: string;
  package?: { name: string; version: string | null };
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
}
