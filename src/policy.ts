import type { AiTier } from './ai/tiers.js';
import type { FailOn } from './severity.js';

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
}

export const DEFAULT_FAIL_ON: FailOn = 'high';

export function defaultPolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    failOn: DEFAULT_FAIL_ON,
    tierOverrides: {},
    trustedRegistries: [],
    trustedHosts: [],
    ...overrides,
  };
}
