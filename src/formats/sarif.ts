import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { RULES } from '../checks/index.js';
import { RULE_IDS, type RuleId } from '../model/rule-id.js';
import type { Finding, Report } from '../report/model.js';
import type { Severity } from '../model/severity.js';
import { forJson } from './escape.js';
import { pathFromSourceRoot } from './paths.js';

export interface SarifOptions {
  /** Folder the artifact URIs are relative to (the repository checkout); default: the project root. */
  sourceRoot?: string;
  /** The tool's home page; rule help links point at its rules section. */
  informationUri?: string;
  /** The repository and commit that were audited (from the CI environment). */
  versionControl?: VersionControl;
}

export interface VersionControl {
  repositoryUri: string;
  revisionId?: string;
  branch?: string;
}

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SOURCE_ROOT_ID = '%SRCROOT%';
const FINGERPRINT_KEY = 'aiChainAudit/v1';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

// GitHub code scanning ranks alerts by this score (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0).
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

// Findings about one published version; a new version of the package is a new problem.
const VERSION_BOUND: ReadonlySet<RuleId> = new Set<RuleId>([
  'lockfile-integrity-mismatch',
  'recent-release',
  'version-unpublished',
  'version-not-listed',
  'deprecated-version',
  'install-script',
  'install-script-added',
  'publisher-changed',
  'signature-invalid',
  'signature-missing',
  'provenance-missing',
  'provenance-regression',
  'provenance-invalid',
  'provenance-source-mismatch',
]);

/** SARIF 2.1.0 log of one run, for GitHub code scanning and other SARIF consumers. */
export function formatSarif(report: Report, options: SarifOptions = {}): string {
  const sourceRoot = options.sourceRoot ?? report.project.root;
  const uriOf = (file: string) => encodeUri(pathFromSourceRoot(report.project.root, sourceRoot, file));
  const fingerprints = fingerprintsOf(report.findings, uriOf);
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: RULE_IDS.map((id) => ruleOf(id, options.informationUri)),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            endTimeUtc: report.generatedAt,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: 'error',
              message: { text: `${error.scope}: ${error.message}` },
            })),
          },
        ],
        originalUriBaseIds: { [SOURCE_ROOT_ID]: { uri: directoryUri(sourceRoot) } },
        ...(options.versionControl ? { versionControlProvenance: [{ ...options.versionControl, mappedTo: { uriBaseId: SOURCE_ROOT_ID } }] } : {}),
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding, index) => resultOf(finding, uriOf, fingerprints[index] ?? '')),
        properties: {
          reportSchemaVersion: report.schemaVersion,
          evaluatedAt: report.now,
          passed: report.summary.passed,
          failOn: report.summary.failOn,
        },
      },
    ],
  };
  return `${forJson(log)}\n`;
}

function ruleOf(id: RuleId, informationUri: string | undefined) {
  const rule = RULES[id];
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    help: { text: rule.help, markdown: rule.help },
    ...(informationUri ? { helpUri: `${informationUri.replace(/#.*$/, '')}#rules` } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'supply-chain', ...(id.startsWith('ai-') ? ['ai'] : [])],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

function resultOf(finding: Finding, uriOf: (file: string) => string, fingerprint: string) {
  const location = finding.location;
  return {
    ruleId: finding.ruleId,
    ruleIndex: RULE_IDS.indexOf(finding.ruleId),
    level: LEVEL[finding.severity],
    message: { text: `${finding.message} ${finding.remediation}` },
    ...(location
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(location.file), uriBaseId: SOURCE_ROOT_ID },
                ...(location.line !== null ? { region: { startLine: location.line } } : {}),
              },
            },
          ],
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(finding.baselineState ? { baselineState: finding.baselineState } : {}),
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${finding.suppressed.reason}${finding.suppressed.expires ? ` (until ${finding.suppressed.expires})` : ''}`,
            },
          ],
        }
      : {}),
    properties: {
      severity: finding.severity,
      package: finding.package,
      aiTier: finding.aiTier,
      remediation: finding.remediation,
      paths: finding.paths.map((path) => path.join(' > ')),
      evidence: finding.evidence,
    },
  };
}

/**
 * Stable across runs for the same problem: rule, package, file, and the version only for
 * rules about one published version (so an unpinned declaration keeps its alert when the
 * lockfile moves on). Line numbers are left out because unrelated edits shift them.
 */
function fingerprintsOf(findings: Finding[], uriOf: (file: string) => string): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const identity = [
      finding.ruleId,
      finding.package?.name ?? '',
      VERSION_BOUND.has(finding.ruleId) ? (finding.package?.version ?? '') : '',
      finding.location ? uriOf(finding.location.file) : '',
    ].join('\u0000');
    const ordinal = seen.get(identity) ?? 0;
    seen.set(identity, ordinal + 1);
    return createHash('sha256').update(`${identity}\u0000${ordinal}`).digest('hex').slice(0, 32);
  });
}

function encodeUri(path: string): string {
  return encodeURI(path).replace(/[?#]/g, (char) => encodeURIComponent(char));
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
}
