import { isAbsolute, relative, resolve } from 'node:path';
import type { LockedPackage } from '../inventory/model.js';
import type { Policy } from '../policy.js';
import type { Finding } from '../report/model.js';
import type { Severity } from '../severity.js';
import { severityForTier } from './severity-for-tier.js';
import type { Check, CheckContext } from './types.js';

interface Problem {
  kind: 'insecure-http' | 'unexpected-host' | 'git' | 'remote-tarball' | 'outside-project';
  severity: Severity;
  message: string;
  remediation: string;
  evidence: Record<string, unknown>;
}

/**
 * Anything not fetched over https from the configured registry escapes the registry's
 * integrity, signature and provenance guarantees (and our other checks).
 */
export const lockfileUntrustedSource: Check = {
  id: 'lockfile-untrusted-source',
  run(context) {
    const { inventory, tierOf } = context;
    if (!inventory.lockfile) return [];
    const lockfile = inventory.lockfile.file;
    const findings: Finding[] = [];
    for (const pkg of inventory.packages) {
      const tier = tierOf(pkg.name);
      const problem = problemOf(pkg, context, severityForTier(tier, { strict: 'high', ai: 'medium', other: 'medium' }));
      if (!problem) continue;
      findings.push({
        ruleId: 'lockfile-untrusted-source',
        severity: problem.severity,
        package: { name: pkg.name, version: pkg.version },
        message: `${pkg.name}@${pkg.version} ${problem.message}.`,
        remediation: problem.remediation,
        evidence: { kind: problem.kind, resolved: pkg.resolved, source: pkg.source, ...problem.evidence },
        location: { file: lockfile, line: pkg.lockfileLine },
        paths: pkg.paths,
        aiTier: tier,
      });
    }
    return findings;
  },
};

function problemOf(pkg: LockedPackage, { inventory, policy }: CheckContext, severity: Severity): Problem | null {
  const resolved = pkg.resolved;
  if (resolved && /^http:\/\//i.test(resolved)) {
    return {
      kind: 'insecure-http',
      severity: 'high',
      message: `is downloaded over plain http (${resolved}), open to tampering in transit`,
      remediation: 'Switch the registry URL to https and regenerate the lockfile entry.',
      evidence: {},
    };
  }
  switch (pkg.source) {
    case 'registry': {
      if (!resolved || isTrustedUrl(resolved, policy)) return null;
      return {
        kind: 'unexpected-host',
        severity,
        message: `is resolved from ${hostOf(resolved)}, which is not a configured registry`,
        remediation: 'Regenerate the entry from your configured registry, or list the host in the policy if it is your own mirror.',
        evidence: { host: hostOf(resolved), trustedRegistries: policy.trustedRegistries },
      };
    }
    case 'git':
      return {
        kind: 'git',
        severity,
        message: `is installed from git (${resolved ?? 'unknown URL'}), bypassing registry integrity, signatures and provenance`,
        remediation: 'Depend on a published registry version instead, or pin the exact commit and review it.',
        evidence: {},
      };
    case 'remote':
      return {
        kind: 'remote-tarball',
        severity,
        message: `is installed from a tarball URL (${resolved ?? 'unknown URL'}) outside the registry`,
        remediation: 'Depend on a published registry version instead, or vendor the tarball into the repository.',
        evidence: {},
      };
    case 'file':
    case 'directory': {
      const target = localTarget(resolved, inventory.root);
      if (!target || isInside(inventory.root, target)) return null;
      return {
        kind: 'outside-project',
        severity,
        message: `is installed from ${target}, outside the project, where its content is not under review`,
        remediation: 'Vendor the package into the repository or publish it to your registry.',
        evidence: { path: target },
      };
    }
    default:
      return null;
  }
}

function isTrustedUrl(url: string, policy: Policy): boolean {
  if (policy.trustedRegistries.length === 0 && policy.trustedHosts.length === 0) return true;
  if (policy.trustedRegistries.some((registry) => url.startsWith(withSlash(registry)))) return true;
  const host = hostOf(url);
  return host !== null && policy.trustedHosts.includes(host);
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function localTarget(resolved: string | null, root: string): string | null {
  if (!resolved) return null;
  const path = resolved.replace(/^file:/, '');
  return isAbsolute(path) ? path : resolve(root, path);
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
