import { InvalidArgumentError } from 'commander';
import { isSeverity, type FailOn } from '../model/severity.js';
import { parseDuration } from '../policy/duration.js';

/** `--now`: an ISO 8601 time the audit is evaluated at. */
export function parseNow(value: string): Date {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) throw new InvalidArgumentError('expected an ISO 8601 time such as 2026-03-24T12:00:00Z.');
  return new Date(time);
}

/** `--min-release-age`, `--release-diff-window`: a duration such as 7d, 36h or 90m (a bare number is days, like npm's setting). */
export function parseDurationFlag(value: string): number {
  const ms = parseDuration(value, 'd');
  if (ms === null) throw new InvalidArgumentError('expected a duration such as 7d, 36h or 90m.');
  return ms;
}

export function parseConcurrency(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256.');
  return count;
}

/** `--max-source-files`: how many project source files the AI analysis parses (files that import AI packages first). */
export function parseMaxSourceFiles(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new InvalidArgumentError('expected a whole number from 1 to 1000000.');
  return count;
}

/** `--fetch-timeout <seconds>`: how long a registry transfer may go without receiving a byte. */
export function parseFetchTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new InvalidArgumentError('expected a number of seconds above 0, at most 3600.');
  return Math.round(seconds * 1000);
}

export function parseFailOn(value: string): FailOn {
  if (value === 'none' || isSeverity(value)) return value;
  throw new InvalidArgumentError('expected one of critical, high, medium, low, info, none.');
}
