import type { NpmConfig } from '../config/npm-config.js';
import type { FailOn } from '../model/severity.js';
import { minReleaseAgesFromFile, policyFromFile, type LoadedPolicyFile } from './file.js';
import { DEFAULT_MIN_RELEASE_AGE, defaultPolicy, type MinReleaseAge, type Policy } from './policy.js';

/** What the command line says about strictness; absent = not given (the file or the default decides). */
export interface PolicyFlags {
  failOn?: FailOn | undefined;
  /** `--min-release-age` in milliseconds. */
  minReleaseAge?: number | undefined;
  /** `--release-diff-window` in milliseconds. */
  releaseDiffWindow?: number | undefined;
}

/** The parts of npm's configuration that decide which registries are trusted. */
export type RegistrySettings = Pick<NpmConfig, 'registry' | 'scopedRegistries' | 'defaultRegistry' | 'flat'>;

/** The one place a Policy is assembled: `flag ?? file ?? default` for every setting. */
export function buildPolicy(input: { flags: PolicyFlags; file: LoadedPolicyFile | null; npmConfig: RegistrySettings }): Policy {
  const { flags, file, npmConfig } = input;
  const fromFile = file ? policyFromFile(file.settings) : {};
  const failOn = flags.failOn ?? fromFile.failOn;
  return defaultPolicy({
    ...fromFile,
    ...(failOn ? { failOn } : {}),
    trustedRegistries: trustedRegistriesOf(npmConfig),
    minReleaseAge: minReleaseAgeOf(file ? minReleaseAgesFromFile(file.settings) : {}, flags.minReleaseAge),
    ...(flags.releaseDiffWindow !== undefined ? { releaseDiffWindow: flags.releaseDiffWindow } : {}),
  });
}

function trustedRegistriesOf(npmConfig: RegistrySettings): string[] {
  // `replace-registry-host=always`: npm rewrites every tarball host to the configured registry
  if (npmConfig.flat.replaceRegistryHost === 'always') return [];
  const trusted = [npmConfig.registry, ...Object.values(npmConfig.scopedRegistries)];
  // npm swaps its default registry for the configured one at install time (replace-registry-host)
  if (npmConfig.flat.replaceRegistryHost === 'npmjs') trusted.push(npmConfig.defaultRegistry);
  return [...new Set(trusted)];
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
