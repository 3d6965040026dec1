import type { AiTier } from '../../model/tier.js';
import type { LockfileFormat, PackageSource } from '../../inventory/model.js';
import type { AiToolOrigin } from '../../ai/model.js';
import type { Finding } from '../../model/finding.js';

export type { BaselineState } from '../../model/finding.js';

/** A locked package as the diff shows it; `host` is the resolved URL's host only, never the URL (it may carry credentials). */
export interface DiffPackage {
  name: string;
  version: string;
  source: PackageSource;
  host: string | null;
  integrity: string | null;
  direct: boolean;
  dev: boolean;
}

export type PackageChangeKind = 'version' | 'source' | 'host' | 'integrity';

export interface DiffPackageChange {
  name: string;
  from: DiffPackage;
  to: DiffPackage;
  changed: PackageChangeKind[];
}

export interface DiffAiTool {
  name: string;
  version: string | null;
  origin: AiToolOrigin;
  tool: string;
  tier: AiTier;
}

/** An AI tool whose LLM calls go through a gateway: `from` → `via`. */
export interface DiffAiRoute {
  from: string;
  via: string;
}

export interface ReportDiff {
  base: {
    /** The git ref given, or the `--base-lockfile` file. */
    ref: string;
    commit: string | null;
    lockfile: string | null;
    lockfileFormat: LockfileFormat | null;
  };
  /** Which findings the gate counts: `new` (the default with a base) or `all` (`--fail-on-existing`). */
  gate: 'new' | 'all';
  summary: {
    packagesAdded: number;
    packagesRemoved: number;
    packagesChanged: number;
    aiToolsAdded: number;
    aiToolsRemoved: number;
    aiRoutesAdded: number;
    aiRoutesRemoved: number;
    newFindings: number;
    unchangedFindings: number;
    absentFindings: number;
  };
  packages: { added: DiffPackage[]; removed: DiffPackage[]; changed: DiffPackageChange[] };
  aiTools: { added: DiffAiTool[]; removed: DiffAiTool[] };
  aiRoutes: { added: DiffAiRoute[]; removed: DiffAiRoute[] };
  /** The base's findings the head no longer has (each with baselineState `absent`). */
  absentFindings: Array<Finding & { baselineState: 'absent' }>;
}
