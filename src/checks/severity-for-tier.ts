import { isStrictTier, type AiTier } from '../model/tier.js';
import type { Severity } from '../model/severity.js';

/** Picks a severity by how close the package sits to provider keys and prompts. */
export function severityForTier(tier: AiTier | null, levels: { strict: Severity; ai: Severity; other: Severity }): Severity {
  if (isStrictTier(tier)) return levels.strict;
  return tier === null ? levels.other : levels.ai;
}
