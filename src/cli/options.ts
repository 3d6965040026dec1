import { InvalidArgumentError } from 'commander';
import { DEFAULT_MIN_RELEASE_AGE, type MinReleaseAge } from '../policy/policy.js';
import { parseDuration } from '../policy/duration.js';

/** `--now`: an ISO 8601 time the audit is evaluated at. */
export function parseNow(value: string): Date {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) throw new InvalidArgumentError('expected an ISO 8601 time such as 2026-03-24T12:00:00Z.');
  return new Date(time);
}

/** `--min-release-age`: a duration such as 7d, 36h or 90m (a bare number is days, like npm's setting). */
export function parseMinReleaseAge(value: string): number {
  const ms = parseDuration(value, 'd');
  if (ms === null) throw new InvalidArgumentError('expected a duration such as 7d, 36h or 90m.');
  return ms;
}

export function parseConcurrency(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256.');
  return count;
}

/**
 * Release-age windows: built-in defaults, then the policy file, then `--min-release-age`, which
 * sets the window for every package while AI tiers keep a longer window of their own.
 */
export function minReleaseAgeOf(fromFile: Partial<MinReleaseAge>, flag: number | undefined): MinReleaseAge {
  const merged: MinReleaseAge = { ...DEFAULT_MIN_RELEASE_AGE, ...stripUndefined(fromFile) };
  if (flag === undefined) return merged;
  const result: MinReleaseAge = { ...merged, default: flag };
  for (const [tier, ms] of Object.entries(merged)) {
    if (tier !== 'default' && typeof ms === 'number') (result as Record<string, number>)[tier] = Math.max(ms, flag);
  }
  return result;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
