const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses `7d`, `36h`, `90m`, `45s`, `2w` (or a bare number of `defaultUnit`) into milliseconds; null when malformed. */
export function parseDuration(text: string | number, defaultUnit: keyof typeof UNIT_MS = 'd'): number | null {
  const value = String(text).trim().toLowerCase();
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)?$/.exec(value);
  if (!match?.[1]) return null;
  const unit = UNIT_MS[match[2] ?? defaultUnit];
  return unit === undefined ? null : Math.round(Number(match[1]) * unit);
}

/** `3 h`, `40 h`, `2 d`, `90 min`: the largest unit that keeps the number readable. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 2 * UNIT_MS.d!) return `${round(ms / UNIT_MS.d!)} d`;
  if (abs >= 2 * UNIT_MS.h!) return `${round(ms / UNIT_MS.h!)} h`;
  if (abs >= UNIT_MS.m!) return `${round(ms / UNIT_MS.m!)} min`;
  return `${round(ms / 1000)} s`;
}

function round(value: number): number {
  return value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
}
