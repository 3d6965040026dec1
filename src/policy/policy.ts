import type { AiTier } from '../model/tier.js';
import type { RuleId } from '../model/rule-id.js';
import type { FailOn } from '../model/severity.js';

/** Everything that decides how strict the audit is. Built once by the CLI; checks only read it. */
export interface Policy {
  failOn: FailOn;
  /** Extra packages to hold to a tier's policy, beyond the AI catalog. */
  tierOverrides: Record<string, AiTier>;
  /**
   * Registry base URLs installs are expected to come from (npm's configured registry and
   * scoped registries); a locked tarball from any other host is an untrusted source.
   */
  trustedRegistries: string[];
  /** Further hosts tarballs may come from (e.g. an internal mirror). */
  trustedHosts: string[];
  /**
   * Source repository each package's provenance must attest, by package name, as written in
   * the policy file (e.g. `github.com/acme/llm-proxy`).
   */
  expectedSources: Record<string, string>;
  /**
   * Which packages must carry provenance (provenance-missing): `strict-tier` = AI gateways and
   * AI cost tools (the default), `all` = every registry package, plus any package named here.
   */
  requireProvenance: 'strict-tier' | 'all';
  requireProvenanceFor: string[];
  /** Accepted findings: a matching finding stays in the report, suppressed, until the entry expires. */
  allow: AllowEntry[];
  /**
   * Minimum release age in milliseconds, by AI tier, `default` for every other package
   * (hijacked releases are usually caught and removed within hours or days).
   */
  minReleaseAge: MinReleaseAge;
  /**
   * How recent a release must be for its code to be compared with its predecessor's
   * (release-code-changed), in milliseconds; AI gateways and cost tools are compared at any age.
   */
  releaseDiffWindow: number;
  /**
   * How AI findings on routes offered for a provider picked at run time are graded: `low` (the
   * default: listed, at most low) or `full` (as if taken on every run, for teams that gate on
   * everything the code can do).
   */
  offeredRoutes: 'low' | 'full';
}

export interface AllowEntry {
  rule: RuleId;
  /** Any package when absent. */
  package: string | null;
  /** An exact version or a semver range; any version when absent. */
  version: string | null;
  reason: string;
  /** `YYYY-MM-DD` (UTC): the entry suppresses until the start of that day. Never expires when null. */
  expires: string | null;
}

export const DEFAULT_FAIL_ON: FailOn = 'high';

export type MinReleaseAge = { default: number } & Partial<Record<AiTier, number>>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** AI gateways and AI cost tools wait a week; everything else a day. */
export const DEFAULT_MIN_RELEASE_AGE: MinReleaseAge = { default: DAY_MS, gateway: 7 * DAY_MS, 'cost-observability': 7 * DAY_MS };

/** A month: hijacked releases are rarely caught later than that, and older versions' tarballs are never downloaded. */
export const DEFAULT_RELEASE_DIFF_WINDOW = 30 * DAY_MS;

export function defaultPolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    failOn: DEFAULT_FAIL_ON,
    tierOverrides: {},
    trustedRegistries: [],
    trustedHosts: [],
    expectedSources: {},
    requireProvenance: 'strict-tier',
    requireProvenanceFor: [],
    allow: [],
    minReleaseAge: { ...DEFAULT_MIN_RELEASE_AGE },
    releaseDiffWindow: DEFAULT_RELEASE_DIFF_WINDOW,
    offeredRoutes: 'low',
    ...overrides,
  };
}
