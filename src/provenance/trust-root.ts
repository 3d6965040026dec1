import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { AuditError, errorMessage } from '../model/errors.js';

/** The Sigstore trust anchors (Fulcio CAs, Rekor and CT log keys) every bundle is verified against. */
export interface TrustRoot {
  /** A TrustedRoot in protobuf-specs JSON form. */
  trustedRoot: unknown;
  /** sha256 of the trusted root's bytes: part of every verification cache key. */
  digest: string;
  source: 'file' | 'tuf' | 'embedded';
  notices: string[];
}

export interface TrustRootOptions {
  /** `--trusted-root`: a TrustedRoot JSON file (private Sigstore instance, tests). */
  file?: string | null;
  offline: boolean;
  /** npm's TUF cache folder (`<npm cache>/_tuf`); null → no refresh, embedded root. */
  tufCachePath: string | null;
  /** Refreshes the public-good trusted root through TUF; injectable so tests never touch the network. */
  refresh?: (tufCachePath: string) => Promise<unknown>;
}

const TRUSTED_ROOT_TARGET = 'trusted_root.json';
const TUF_TIMEOUT_MS = 5000;

/**
 * `--trusted-root` wins. Otherwise the public-good root through TUF (signed metadata, cached in
 * npm's cache dir) when the network allows, and the root embedded in @sigstore/tuf when it does
 * not: a notice, never a failure — being offline must not disable verification.
 */
export async function loadTrustRoot(options: TrustRootOptions): Promise<TrustRoot> {
  if (options.file) return fromFile(options.file);
  if (options.offline || !options.tufCachePath) {
    return embedded('Sigstore trust root: using the copy embedded in @sigstore/tuf (offline; not refreshed through TUF).');
  }
  const refresh = options.refresh ?? refreshThroughTuf;
  try {
    const trustedRoot = await refresh(options.tufCachePath);
    return { trustedRoot, digest: digestOf(trustedRoot), source: 'tuf', notices: [] };
  } catch (error) {
    return embedded(`Sigstore trust root: TUF refresh failed (${errorMessage(error)}); using the copy embedded in @sigstore/tuf.`);
  }
}

async function refreshThroughTuf(tufCachePath: string): Promise<unknown> {
  // loaded only when attestations are to be verified: together they cost more than a warm run's registry stage
  const [{ getTrustedRoot }, { TrustedRoot }] = await Promise.all([import('@sigstore/tuf'), import('@sigstore/protobuf-specs')]);
  const root = await getTrustedRoot({ cachePath: tufCachePath, timeout: TUF_TIMEOUT_MS, retry: false });
  return TrustedRoot.toJSON(root);
}

async function fromFile(file: string): Promise<TrustRoot> {
  let trustedRoot: unknown;
  try {
    trustedRoot = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new AuditError('ETRUSTROOT', `Cannot read the trusted root ${file}: ${errorMessage(error)}.`, { file, cause: error });
  }
  if (!isTrustedRootShape(trustedRoot)) {
    throw new AuditError('ETRUSTROOT', `${file} is not a Sigstore trusted root (expected certificateAuthorities and tlogs).`, { file });
  }
  return { trustedRoot, digest: digestOf(trustedRoot), source: 'file', notices: [`Sigstore trust root: ${file}.`] };
}

function isTrustedRootShape(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const root = value as Record<string, unknown>;
  return Array.isArray(root.certificateAuthorities) && Array.isArray(root.tlogs);
}

function embedded(notice: string): TrustRoot {
  const text = embeddedTufTarget(TRUSTED_ROOT_TARGET);
  if (!text) throw new AuditError('ETRUSTROOT', 'The Sigstore trust root embedded in @sigstore/tuf is missing.');
  const trustedRoot: unknown = JSON.parse(text);
  return { trustedRoot, digest: digestOf(trustedRoot), source: 'embedded', notices: [notice] };
}

interface Seeds {
  [mirror: string]: { targets?: Record<string, string> };
}

let seeds: Seeds | undefined;

/** A TUF target shipped inside @sigstore/tuf (its seeds), e.g. `trusted_root.json`; null when absent. */
export function embeddedTufTarget(name: string): string | null {
  seeds ??= JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@sigstore/tuf/seeds.json'), 'utf8')) as Seeds;
  for (const mirror of Object.values(seeds)) {
    const target = mirror.targets?.[name];
    if (target) return Buffer.from(target, 'base64').toString('utf8');
  }
  return null;
}

export function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
