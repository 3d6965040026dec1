import type { AiTier } from '../model/tier.js';
import type { Policy } from './policy.js';
import { isExempt, type ProjectCooldown } from './cooldown.js';

export interface ReleaseWindow {
  ms: number;
  /** What set it: the policy's default, the policy's window for the package's AI tier, or the project's own gate. */
  source: 'default' | 'tier' | 'project';
  /** The project's gate when it applies to the package (even if the policy window is longer). */
  cooldown: ProjectCooldown | null;
}

/** How old a locked version must be: the policy's window for the package's tier, or the project's own gate when longer. */
export function releaseWindow(name: string, tier: AiTier | null, policy: Policy, cooldown: ProjectCooldown | null): ReleaseWindow {
  const tierMs = tier ? policy.minReleaseAge[tier] : undefined;
  const base: ReleaseWindow = tierMs === undefined ? { ms: policy.minReleaseAge.default, source: 'default', cooldown: null } : { ms: tierMs, source: 'tier', cooldown: null };
  if (!cooldown || isExempt(cooldown, name)) return base;
  return cooldown.ms > base.ms ? { ms: cooldown.ms, source: 'project', cooldown } : { ...base, cooldown };
}
