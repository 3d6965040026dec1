import { applyAllowList } from '../policy/allow-list.js';
import type { AiTier } from '../model/tier.js';
import type { Inventory } from '../inventory/model.js';
import type { Policy } from '../policy/policy.js';
import type { RegistryFacts } from '../registry/facts/model.js';
import type { ProvenanceFacts } from '../provenance/model.js';
import type { RuleId } from '../model/rule-id.js';
import { atLeast, compareSeverity, SEVERITIES, type Severity } from '../model/severity.js';
import {
  REPORT_SCHEMA_VERSION,
  type AiToolReport,
  type Finding,
  type ProvenanceStatus,
  type Report,
  type ReportError,
  type ReportPackage,
  type SignatureStatus,
  type Summary,
} from './model.js';
import { factsView } from './facts-view.js';
import { locateFinding } from './locate.js';
import { pythonPackagesView } from './python-view.js';
import type { PythonSubject } from '../python/release-facts.js';
import { uncheckedOf } from './unchecked.js';

export interface BuildReportInput {
  inventory: Inventory;
  findings: Finding[];
  policy: Policy;
  now: Date;
  generatedAt: Date;
  tool: { name: string; version: string };
  tierOf(name: string): AiTier | null;
  errors?: ReportError[];
  notices?: string[];
  /** The AI tools as the AI stage classified them. */
  aiTools: AiToolReport[];
  facts?: RegistryFacts | undefined;
  provenance?: ProvenanceFacts;
  /** What the Python stage found; absent when it did not run. */
  python?: PythonSubject[];
}

export function buildReport(input: BuildReportInput): Report {
  const { inventory, policy } = input;
  const packages = inventory.packages.map((pkg): ReportPackage => ({
    id: pkg.id,
    name: pkg.name,
    version: pkg.version,
    aliases: pkg.aliases,
    source: pkg.source,
    resolved: pkg.resolved,
    integrity: pkg.integrity,
    direct: pkg.direct,
    dev: pkg.dev,
    optional: pkg.optional,
    peer: pkg.peer,
    workspaces: pkg.workspaces,
    paths: pkg.paths,
    aiTier: input.tierOf(pkg.name),
    facts: factsView(input.facts?.packages.get(pkg.id)),
    provenance: input.provenance?.packages.get(pkg.id)?.provenance ?? 'unknown',
    provenanceSource: input.provenance?.packages.get(pkg.id)?.source ?? null,
    signature: input.provenance?.packages.get(pkg.id)?.signature.status ?? 'unknown',
  }));
  const located = input.findings.map((finding) => ({ ...finding, location: locateFinding(finding, inventory) }));
  const allowed = applyAllowList(located, policy.allow, input.now);
  const findings = allowed.findings.sort(compareFindings);
  const errors = [...(input.errors ?? []), ...(input.provenance?.errors ?? [])];
  const { aiTools } = input;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: input.tool,
    generatedAt: input.generatedAt.toISOString(),
    now: input.now.toISOString(),
    project: {
      root: inventory.root,
      name: inventory.name,
      lockfile: inventory.lockfile?.file ?? null,
      lockfileFormat: inventory.lockfile?.format ?? null,
      lockfileVersion: inventory.lockfile?.version ?? null,
      workspaces: inventory.importers.filter((importer) => importer.path !== '.').map((importer) => importer.path),
    },
    summary: { ...summarize(findings, packages, aiTools, errors, policy), unchecked: uncheckedOf(inventory, input.facts, input.provenance) },
    packages,
    findings,
    aiTools,
    errors,
    notices: [...inventory.notices, ...(input.notices ?? []), ...(input.provenance?.notices ?? []), ...allowed.notices],
    allowList: allowed.allowList,
    ...(input.python && input.python.length > 0 ? { pythonPackages: pythonPackagesView(input.python) } : {}),
  };
}

function summarize(
  findings: Finding[],
  packages: ReportPackage[],
  aiTools: AiToolReport[],
  errors: ReportError[],
  policy: Policy,
): Omit<Summary, 'unchecked'> {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  const byRule: Partial<Record<RuleId, number>> = {};
  const counted = findings.filter((finding) => !finding.suppressed);
  for (const finding of counted) {
    bySeverity[finding.severity]++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  const provenance: Record<ProvenanceStatus, number> = { verified: 0, missing: 0, invalid: 0, unknown: 0 };
  const signatures: Record<SignatureStatus, number> = { verified: 0, missing: 0, invalid: 0, unknown: 0 };
  for (const pkg of packages) {
    provenance[pkg.provenance]++;
    signatures[pkg.signature]++;
  }
  const gated = counted.some((finding) => atLeast(finding.severity, policy.failOn));
  return {
    // an audit that could not establish everything is never a pass
    passed: !gated && errors.length === 0,
    failOn: policy.failOn,
    findings: counted.length,
    suppressed: findings.length - counted.length,
    bySeverity,
    byRule,
    packages: packages.length,
    directPackages: packages.filter((pkg) => pkg.direct).length,
    aiTools: aiTools.length,
    provenance,
    signatures,
    errors: errors.length,
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    a.ruleId.localeCompare(b.ruleId) ||
    (a.package?.name ?? '').localeCompare(b.package?.name ?? '') ||
    (a.package?.version ?? '').localeCompare(b.package?.version ?? '')
  );
}
