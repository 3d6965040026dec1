/**
 * How strictly a package is held: AI gateways and AI cost/observability tools sit next to
 * provider keys and prompts, so they get the strictest supply-chain policy.
 */
export type AiTier = 'gateway' | 'cost-observability' | 'provider-sdk' | 'framework';

export const STRICT_TIERS: ReadonlySet<AiTier> = new Set(['gateway', 'cost-observability']);

export function isStrictTier(tier: AiTier | null): boolean {
  return tier !== null && STRICT_TIERS.has(tier);
}

export function tierLabel(tier: AiTier): string {
  switch (tier) {
    case 'gateway':
      return 'AI gateway';
    case 'cost-observability':
      return 'AI cost/observability tool';
    case 'provider-sdk':
      return 'AI provider SDK';
    case 'framework':
      return 'AI framework';
  }
}
