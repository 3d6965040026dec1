import type { AiAnalysis } from '../ai/classify.js';
import type { AiTier } from '../model/tier.js';
import type { Inventory } from '../inventory/model.js';
import type { Policy } from '../policy/policy.js';
import type { ProjectCooldown } from '../policy/cooldown.js';
import type { RegistryFacts } from '../registry/facts/model.js';
import type { ProvenanceFacts } from '../provenance/model.js';
import type { Finding } from '../report/model.js';
import type { RuleId } from '../model/rule-id.js';

/** What a check may look at. Checks are pure: same context, same findings. */
export interface CheckContext {
  inventory: Inventory;
  policy: Policy;
  now: Date;
  tierOf(packageName: string): AiTier | null;
  /** What the registry says about each locked version; absent when that stage did not run. */
  facts?: RegistryFacts;
  /** The release-age gate the project configures for its package manager, if any. */
  cooldown?: ProjectCooldown | null;
  /** Registry signatures and Sigstore attestations; absent when that stage did not run. */
  provenance?: ProvenanceFacts;
  /** The AI tools found and classified, and the gateway deployments; absent when that stage did not run. */
  ai?: AiAnalysis;
}

export interface Check {
  id: RuleId;
  run(context: CheckContext): Finding[];
}
