import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CacheAuth } from '../util/cache-auth.js';
import { isRecord } from '../util/is-record.js';
import { SealedEntries } from '../util/sealed-entries.js';
import type { CodeSignal, ReleaseDiff } from './model.js';
import type { ScopedRelease } from './scope.js';
import { DETECTOR_PATTERNS } from './signals.js';

/**
 * Bump when what a comparison finds changes beyond the detectors' patterns (which key every entry
 * on their own): what is read from a tarball, its limits, the judgement. Older files are ignored.
 */
const FORMAT = 'ai-chain-audit/release-diff/1';
const LABEL = 'release-diff';
const MAX_ENTRIES = 5_000;

/**
 * Release comparisons by the integrities of both tarballs: the bytes of a tarball never change
 * for an integrity, so neither does what one release added against the other. A warm run reads
 * neither tarball again. Only comparisons that completed are kept (a failed read or an integrity
 * mismatch is asked again next run); sealed with the user's cache key like the other caches, and
 * an entry of the wrong shape counts as absent.
 */
export class ReleaseDiffCache {
  private constructor(
    private readonly entries: SealedEntries,
    private readonly analysisKey: string,
  ) {}

  static async open(dir: string | null, auth: CacheAuth | null): Promise<ReleaseDiffCache> {
    const analysisKey = createHash('sha256').update(JSON.stringify(DETECTOR_PATTERNS)).digest('base64').slice(0, 16);
    // a cached comparison decides release-code-changed: only an entry this user's key sealed is believed
    return new ReleaseDiffCache(await SealedEntries.open(dir ? join(dir, 'release-diff.json') : null, LABEL, FORMAT, auth), analysisKey);
  }

  get(release: ScopedRelease): ReleaseDiff | null {
    const key = this.key(release);
    if (key === null) return null;
    const entry = this.entries.get(key);
    return isDiffOf(entry, release) ? entry : null;
  }

  store(release: ScopedRelease, diff: ReleaseDiff): void {
    const key = this.key(release);
    if (key !== null) this.entries.set(key, diff);
  }

  /** Writes the file (atomically) when this run added comparisons; the newest MAX_ENTRIES are kept. */
  save(): Promise<void> {
    return this.entries.save(MAX_ENTRIES);
  }

  /** Null without both integrities: a comparison is only as fixed as the bytes it read. */
  private key(release: ScopedRelease): string | null {
    if (!release.integrity || !release.previousIntegrity) return null;
    return `${this.analysisKey} ${release.name}@${release.version} ${release.integrity} ${release.previousVersion} ${release.previousIntegrity}`;
  }
}

const KINDS = new Set<string>(['install-script', 'obfuscation', 'dynamic-code', 'endpoint', 'network-send', 'network-hook', 'env-enumeration', 'credential-path', 'wallet', 'secret-key', 'child-process'] satisfies Array<CodeSignal['kind']>);
const RUNS_AT = new Set<string>(['install', 'import', 'bundled'] satisfies Array<CodeSignal['runsAt']>);

function isDiffOf(value: unknown, release: ScopedRelease): value is ReleaseDiff {
  if (!isRecord(value) || value.name !== release.name || value.version !== release.version || value.previousVersion !== release.previousVersion) return false;
  if (typeof value.truncated !== 'boolean' || !(value.severity === null || value.severity === 'high' || value.severity === 'medium')) return false;
  if (!Array.isArray(value.reasons) || !value.reasons.every((reason) => typeof reason === 'string')) return false;
  return Array.isArray(value.added) && value.added.every(isSignal);
}

function isSignal(value: unknown): value is CodeSignal {
  if (!isRecord(value)) return false;
  const { kind, key, file, line, excerpt, runsAt } = value;
  return typeof kind === 'string' && KINDS.has(kind) && typeof key === 'string' && typeof file === 'string' && typeof line === 'number' && typeof excerpt === 'string' && typeof runsAt === 'string' && RUNS_AT.has(runsAt);
}
