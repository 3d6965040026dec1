import type { RuleId } from './rule-id.js';
import type { Severity } from './severity.js';
import type { AiTier } from './tier.js';

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
