import type { AiAnalysis } from '../ai/classify.js';
import type { AiTier } from '../model/tier.js';
import type { Inventory } from '../inventory/model.js';
import type { Policy } from '../policy/policy.js';
import type { ProjectCooldown } from '../policy/cooldown.js';
import type { RegistryFacts } from '../registry/facts/model.js';
import type { ProvenanceFacts } from '../provenance/model.js';
import type { PythonSubject } from '../python/release-facts.js';
import type { ImageSubject } from '../python/stage.js';
import type { Finding } from '../model/finding.js';
import type { RuleId } from '../model/rule-id.js';
import type { Severity } from '../model/severity.js';
import type { ReleaseDiffFacts } from '../release-diff/stage.js';

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
  /** The Python AI packages the project pins and what their index says; absent when that stage did not run. */
  python?: { subjects: PythonSubject[]; images?: ImageSubject[] };
  /** Each recent (or AI tool) release's code against its predecessor's; absent when that stage did not run. */
  releaseDiff?: ReleaseDiffFacts;
}

/** A check is data plus one pure function (the eslint rule model): its metadata is the rule's documentation. */
export interface Check<Id extends RuleId = RuleId> {
  id: Id;
  /** The default severity; a check may go lower or higher for a package's tier or the case at hand. */
  severity: Severity;
  /** One sentence: what the rule reports. */
  description: string;
  /** What to do about it, in a few sentences (SARIF help, code-scanning alerts). */
  help: string;
  run(context: CheckContext): Finding[];
}
