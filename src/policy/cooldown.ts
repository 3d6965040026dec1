import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type * as SmolToml from 'smol-toml';
import type * as Yaml from 'yaml';
import { errorMessage } from '../model/errors.js';
import type { LockfileFormat } from '../inventory/model.js';
import { formatDuration, parseDuration } from './duration.js';
import type { NpmConfig } from '../config/npm-config.js';
import { isRecord } from '../util/is-record.js';
import { lazyRequire } from '../util/lazy-require.js';

// only projects with these files pay for their parsers
const yaml = lazyRequire<typeof Yaml>('yaml');
const toml = lazyRequire<typeof SmolToml>('smol-toml');

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** A release-age gate the project configured for its own package manager. */
export interface ProjectCooldown {
  manager: PackageManager;
  /** As written, e.g. `min-release-age=3`. */
  setting: string;
  /** Where it is set: a path relative to the project root, or npm's config layer. */
  file: string;
  ms: number;
  /** Package names or `*` globs the gate exempts. */
  exclude: string[];
}

export interface ProjectCooldowns {
  cooldowns: ProjectCooldown[];
  notices: string[];
}

/**
 * Reads every cool-down the project configures: npm `min-release-age` (days, any npmrc),
 * pnpm `minimum-release-age` (minutes, .npmrc) or `minimumReleaseAge` (minutes,
 * pnpm-workspace.yaml), yarn `npmMinimalAgeGate` (.yarnrc.yml: a duration, bare numbers are
 * minutes), bun `install.minimumReleaseAge` (seconds, bunfig.toml).
 */
export async function readProjectCooldowns(root: string, npmConfig: NpmConfig | null): Promise<ProjectCooldowns> {
  const notices: string[] = [];
  const readers = [fromNpmrc(root, npmConfig), fromPnpmWorkspace(root), fromYarnrc(root), fromBunfig(root)];
  const cooldowns: ProjectCooldown[] = [];
  for (const result of await Promise.allSettled(readers)) {
    if (result.status === 'fulfilled') cooldowns.push(...result.value);
    else notices.push(`Could not read a release-age setting: ${errorMessage(result.reason)}`);
  }
  return { cooldowns, notices };
}

/** The gate that applies to this lockfile: its own package manager's, else the longest one configured. */
export function applicableCooldown(cooldowns: ProjectCooldown[], format: LockfileFormat | null): ProjectCooldown | null {
  const manager = format ? MANAGER_OF[format] : null;
  const own = cooldowns.filter((cooldown) => cooldown.manager === manager);
  const candidates = own.length > 0 ? own : cooldowns;
  return candidates.reduce<ProjectCooldown | null>((longest, cooldown) => (!longest || cooldown.ms > longest.ms ? cooldown : longest), null);
}

export function isExempt(cooldown: ProjectCooldown, name: string): boolean {
  return cooldown.exclude.some((pattern) => globToRegExp(pattern).test(name));
}

export function describeCooldown(cooldown: ProjectCooldown): string {
  return `${cooldown.manager} ${cooldown.setting} in ${cooldown.file} (${formatDuration(cooldown.ms)})`;
}

const MANAGER_OF: Record<LockfileFormat, PackageManager> = { npm: 'npm', pnpm: 'pnpm', 'yarn-classic': 'yarn', 'yarn-berry': 'yarn', bun: 'bun' };

async function fromNpmrc(root: string, npmConfig: NpmConfig | null): Promise<ProjectCooldown[]> {
  const lookup = npmConfig?.lookup ?? (await projectNpmrcLookup(root));
  const found: ProjectCooldown[] = [];
  const npm = lookup('min-release-age');
  if (npm && npm.value !== null && npm.value !== '') {
    const ms = parseDuration(String(npm.value), 'd');
    if (ms !== null && ms > 0) found.push({ manager: 'npm', setting: `min-release-age=${String(npm.value)}`, file: where(root, npm.source), ms, exclude: list(lookup('min-release-age-exclude')?.value) });
  }
  const pnpm = lookup('minimum-release-age');
  if (pnpm && pnpm.value !== null && pnpm.value !== '') {
    const ms = parseDuration(String(pnpm.value), 'm');
    if (ms !== null && ms > 0) found.push({ manager: 'pnpm', setting: `minimum-release-age=${String(pnpm.value)}`, file: where(root, pnpm.source), ms, exclude: list(lookup('minimum-release-age-exclude')?.value) });
  }
  return found;
}

async function fromPnpmWorkspace(root: string): Promise<ProjectCooldown[]> {
  const doc = await readParsed(root, 'pnpm-workspace.yaml', (text) => yaml().parse(text));
  if (!isRecord(doc) || doc.minimumReleaseAge === undefined) return [];
  const ms = parseDuration(String(doc.minimumReleaseAge), 'm');
  if (ms === null || ms <= 0) return [];
  return [{ manager: 'pnpm', setting: `minimumReleaseAge: ${String(doc.minimumReleaseAge)}`, file: 'pnpm-workspace.yaml', ms, exclude: list(doc.minimumReleaseAgeExclude) }];
}

async function fromYarnrc(root: string): Promise<ProjectCooldown[]> {
  const doc = await readParsed(root, '.yarnrc.yml', (text) => yaml().parse(text));
  if (!isRecord(doc) || doc.npmMinimalAgeGate === undefined) return [];
  const ms = parseDuration(String(doc.npmMinimalAgeGate), 'm');
  if (ms === null || ms <= 0) return [];
  return [{ manager: 'yarn', setting: `npmMinimalAgeGate: ${String(doc.npmMinimalAgeGate)}`, file: '.yarnrc.yml', ms, exclude: list(doc.npmPreapprovedPackages) }];
}

async function fromBunfig(root: string): Promise<ProjectCooldown[]> {
  const doc = await readParsed(root, 'bunfig.toml', (text) => toml().parse(text));
  const install = isRecord(doc) && isRecord(doc.install) ? doc.install : null;
  if (!install || install.minimumReleaseAge === undefined) return [];
  const ms = parseDuration(String(install.minimumReleaseAge), 's');
  if (ms === null || ms <= 0) return [];
  return [{ manager: 'bun', setting: `minimumReleaseAge = ${String(install.minimumReleaseAge)}`, file: 'bunfig.toml', ms, exclude: list(install.minimumReleaseAgeExcludes) }];
}

async function readParsed(root: string, file: string, parse: (text: string) => unknown): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(root, file), 'utf8');
  } catch {
    return null;
  }
  try {
    return parse(text);
  } catch (error) {
    throw new Error(`${file} is malformed: ${errorMessage(error).split('\n')[0]}`);
  }
}

/** Without npm's configuration (library use): the project's own .npmrc, as `key=value` lines. */
async function projectNpmrcLookup(root: string): Promise<NpmConfig['lookup']> {
  const values = new Map<string, string>();
  const text = await readFile(join(root, '.npmrc'), 'utf8').catch(() => '');
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([^#;=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1]) values.set(match[1], match[2] ?? '');
  }
  return (key) => (values.has(key) ? { value: values.get(key), source: join(root, '.npmrc') } : null);
}

function where(root: string, source: string): string {
  if (!source.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(source)) return source;
  const path = relative(root, source);
  return path.startsWith('..') ? source : path;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value !== '' ? value.split(',').map((item) => item.trim()) : [];
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
}
