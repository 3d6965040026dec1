import type * as Ajv from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import validVersion from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import type { AiTier } from '../model/tier.js';
import { AuditError, errorMessage } from '../model/errors.js';
import type { AllowEntry, Policy } from './policy.js';
import { parseDuration } from './duration.js';
import type { RuleId } from '../model/rule-id.js';
import type { FailOn } from '../model/severity.js';
import { lazyRequire } from '../util/lazy-require.js';

// only a run with a policy file compiles its schema
const ajv = lazyRequire<typeof Ajv>('ajv/dist/2020.js');

export const POLICY_FILE_NAME = '.ai-chain-audit.json';

/** The policy file as written (after validation); see schema/policy.schema.json. */
export interface PolicyFile {
  failOn?: FailOn;
  minReleaseAge?: Partial<Record<AiTier | 'default', string>>;
  releaseDiffWindow?: string;
  tiers?: Record<string, AiTier>;
  expectedSources?: Record<string, string>;
  requireProvenance?: Policy['requireProvenance'];
  requireProvenanceFor?: string[];
  trustedHosts?: string[];
  offeredRoutes?: Policy['offeredRoutes'];
  allow?: Array<{ rule: RuleId; package?: string; version?: string; reason: string; expires?: string }>;
}

export interface LoadedPolicyFile {
  /** Path as shown to the user (relative to the project when inside it). */
  file: string;
  settings: PolicyFile;
}

/**
 * Reads the policy file: `explicitPath` when given (it must exist), else `.ai-chain-audit.json`
 * in the project root when present. Anything malformed is an EPOLICY error naming the key.
 */
export async function loadPolicyFile(projectRoot: string, explicitPath?: string): Promise<LoadedPolicyFile | null> {
  const path = explicitPath ?? join(projectRoot, POLICY_FILE_NAME);
  const shown = displayPath(projectRoot, path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!explicitPath && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error);
    throw new AuditError('EPOLICY', `Cannot read policy file ${shown}: ${reason}.`, { file: path, cause: error });
  }
  return { file: shown, settings: parsePolicyFile(text, shown) };
}

/** Validates the text of a policy file; `file` names it in error messages. */
export function parsePolicyFile(text: string, file: string): PolicyFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AuditError('EPOLICY', `Policy file ${file} is not valid JSON: ${errorMessage(error)}.`, { file, cause: error });
  }
  const validate = validator();
  if (!validate(data)) throw new AuditError('EPOLICY', `Policy file ${file}: ${describe(validate.errors?.[0])}.`, { file });
  const settings = data as PolicyFile;
  const problem = semanticProblem(settings);
  if (problem) throw new AuditError('EPOLICY', `Policy file ${file}: ${problem}.`, { file });
  return settings;
}

/** The Policy fields the file sets; the CLI lays its flags over them. */
export function policyFromFile(settings: PolicyFile): Partial<Policy> {
  const policy: Partial<Policy> = {};
  if (settings.failOn) policy.failOn = settings.failOn;
  if (settings.tiers) policy.tierOverrides = { ...settings.tiers };
  if (settings.expectedSources) policy.expectedSources = { ...settings.expectedSources };
  if (settings.requireProvenance) policy.requireProvenance = settings.requireProvenance;
  if (settings.requireProvenanceFor) policy.requireProvenanceFor = [...settings.requireProvenanceFor];
  if (settings.trustedHosts) policy.trustedHosts = [...settings.trustedHosts];
  if (settings.offeredRoutes) policy.offeredRoutes = settings.offeredRoutes;
  if (settings.allow) policy.allow = settings.allow.map(allowEntryOf);
  const releaseDiffWindow = settings.releaseDiffWindow === undefined ? null : parseDuration(settings.releaseDiffWindow);
  if (releaseDiffWindow !== null) policy.releaseDiffWindow = releaseDiffWindow;
  return policy;
}

/** Minimum release ages of the file in milliseconds, by tier and `default`. */
export function minReleaseAgesFromFile(settings: PolicyFile): Partial<Record<AiTier | 'default', number>> {
  const ages: Partial<Record<AiTier | 'default', number>> = {};
  for (const [tier, text] of Object.entries(settings.minReleaseAge ?? {})) {
    const ms = parseDuration(text);
    if (ms !== null) ages[tier as AiTier | 'default'] = ms;
  }
  return ages;
}

function allowEntryOf(entry: NonNullable<PolicyFile['allow']>[number]): AllowEntry {
  return { rule: entry.rule, package: entry.package ?? null, version: entry.version ?? null, reason: entry.reason, expires: entry.expires ?? null };
}

function semanticProblem(settings: PolicyFile): string | null {
  for (const [tier, text] of Object.entries(settings.minReleaseAge ?? {})) {
    if (parseDuration(text) === null) return `minReleaseAge.${tier} "${text}" is not a duration like 7d or 36h`;
  }
  if (settings.releaseDiffWindow !== undefined && parseDuration(settings.releaseDiffWindow) === null) {
    return `releaseDiffWindow "${settings.releaseDiffWindow}" is not a duration like 30d or 2w`;
  }
  for (const [index, entry] of (settings.allow ?? []).entries()) {
    const at = `allow[${index}]`;
    if (entry.version !== undefined && entry.package === undefined) return `${at} has a version but no package`;
    if (entry.version !== undefined && validVersion(entry.version) === null && validRange(entry.version) === null) {
      return `${at}.version "${entry.version}" is neither a version nor a semver range`;
    }
    if (entry.expires !== undefined && !isCalendarDate(entry.expires)) return `${at}.expires "${entry.expires}" is not a real date (YYYY-MM-DD)`;
  }
  return null;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8')) as object;
    const { Ajv2020 } = ajv();
    compiled = new Ajv2020({ allErrors: false, strict: true, verbose: true }).compile(schema);
  }
  return compiled;
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'invalid';
  const at = pathOf(error.instancePath);
  const where = at ? `${at} ` : '';
  if (error.propertyName !== undefined) return `${where}key "${error.propertyName}" is not a valid package name`;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      return `unknown key "${key}"${at ? ` in ${at}` : ''}${suggestion(key, error)}`;
    }
    case 'required':
      return `${where || 'an entry '}is missing "${String(error.params.missingProperty)}"`.replace(/^ /, '');
    case 'enum':
      return `${where}must be one of ${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'pattern':
      return `${where}${patternHint(at)}`;
    case 'type':
      return `${where}must be ${article(String(error.params.type))}`;
    case 'minLength':
      return `${where}must not be empty`;
    case 'minProperties':
      return `${where}must not be empty`;
    case 'uniqueItems':
      return `${where}lists the same value twice`;
    default:
      return `${where}${error.message ?? 'is invalid'}`;
  }
}

function patternHint(at: string): string {
  if (at.endsWith('.expires')) return 'must be a date YYYY-MM-DD';
  if (at.startsWith('minReleaseAge') || at === 'releaseDiffWindow') return 'must be a duration like 7d, 36h or 90m';
  if (at.startsWith('trustedHosts')) return 'must be a host name, optionally with :port (no scheme or path)';
  if (at.startsWith('expectedSources')) return 'must be a repository like github.com/owner/repo';
  return 'must be a valid package name';
}

function suggestion(key: string, error: ErrorObject): string {
  const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
  const normal = (name: string) => name.toLowerCase().replace(/[-_]/g, '').replace(/s$/, '');
  const match =
    known.find((candidate) => normal(candidate) === normal(key)) ??
    known.find((candidate) => candidate.length >= 4 && (normal(key).startsWith(normal(candidate)) || normal(candidate).startsWith(normal(key))));
  return match ? ` (did you mean "${match}"?)` : known.length > 0 ? ` (known keys: ${known.filter((name) => name !== '$schema').join(', ')})` : '';
}

function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
