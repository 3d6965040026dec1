import type { ResponseValidators } from './client.js';

/**
 * How long a private cache may reuse a response without asking again (RFC 9111): `max-age`
 * minus the `Age` the response already had; 0 (always revalidate) for `no-cache`, a missing or
 * unreadable `max-age`. Heuristic freshness is deliberately not used: facts that can change
 * (deprecation, removal) are reused only as long as the registry said they may be.
 */
export function freshnessLifetimeMs(validators: ResponseValidators): number {
  const directives = parseCacheControl(validators.cacheControl);
  if (directives.has('no-cache') || directives.has('no-store')) return 0;
  const maxAge = Number(directives.get('max-age'));
  if (!Number.isFinite(maxAge) || maxAge <= 0) return 0;
  const age = Number(validators.age ?? 0);
  return Math.max(0, maxAge - (Number.isFinite(age) && age > 0 ? age : 0)) * 1000;
}

/** `no-store` forbids keeping the response at all. */
export function mayStore(validators: ResponseValidators): boolean {
  return !parseCacheControl(validators.cacheControl).has('no-store');
}

function parseCacheControl(header: string | null): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (header ?? '').split(',')) {
    const [key, value] = part.split('=', 2);
    const name = key?.trim().toLowerCase();
    if (name) directives.set(name, (value ?? '').trim().replace(/^"|"$/g, ''));
  }
  return directives;
}
