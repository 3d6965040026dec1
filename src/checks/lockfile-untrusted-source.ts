import { isAbsolute, relative, resolve } from 'node:path';
import { isStrictTier } from '../model/tier.js';
import type { LockedPackage } from '../inventory/model.js';
import type { Policy } from '../policy/policy.js';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
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
export const lockfileUntrustedSource: Check<'lockfile-untrusted-source'> = {
  id: 'lockfile-untrusted-source',
  severity: 'medium',
  description: 'A package is resolved from an unexpected host, over http, or from git, a remote tarball or a file outside the project.',
  help: 'The package is installed from a host that is not a configured registry, over plain http, from git, from a remote tarball or from a file outside the project. Install it from your registry at an exact version, or add the host to `trustedHosts` in the policy file if it is yours.',
  run(context) {
    const { inventory, tierOf } = context;
    if (!inventory.lockfile) return [];
    const lockfile = inventory.lockfile.file;
    const findings: Finding[] = [];
    const byHost = new Map<string, LockedPackage[]>();
    for (const pkg of inventory.packages) {
      const tier = tierOf(pkg.name);
      const problem = problemOf(pkg, context, severityForTier(tier, { strict: 'high', ai: 'medium', other: 'medium' }));
      if (!problem) continue;
      if (problem.kind === 'unexpected-host') {
        const host = String(problem.evidence.host);
        byHost.set(host, [...(byHost.get(host) ?? []), pkg]);
        continue;
      }
      findings.push({
        ruleId: lockfileUntrustedSource.id,
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
    for (const [host, packages] of byHost) findings.push(unexpectedHostFinding(host, packages, context));
    return findings;
  },
};

/**
 * A foreign host is a property of the lockfile, not of each package: yarn 1, for one, writes
 * its own alias of the public registry into every entry. One finding per host keeps that
 * from burying everything else, and a strict-tier package still raises it to its severity.
 */
function unexpectedHostFinding(host: string, packages: LockedPackage[], { inventory, policy, tierOf }: CheckContext): Finding {
  const lockfile = inventory.lockfile?.file ?? 'lockfile';
  const first = packages[0] as LockedPackage;
  const remediation = `Regenerate ${lockfile} against your configured registry, or add "${host}" to the policy's trustedHosts if it is your own mirror.`;
  const evidence = { kind: 'unexpected-host', host, trustedRegistries: policy.trustedRegistries, packageCount: packages.length };
  if (packages.length === 1) {
    const tier = tierOf(first.name);
    return {
      ruleId: lockfileUntrustedSource.id,
      severity: severityForTier(tier, { strict: 'high', ai: 'medium', other: 'medium' }),
      package: { name: first.name, version: first.version },
      message: `${first.name}@${first.version} is resolved from ${host}, which is not a configured registry.`,
      remediation,
      evidence: { ...evidence, resolved: first.resolved, source: first.source },
      location: { file: lockfile, line: first.lockfileLine },
      paths: first.paths,
      aiTier: tier,
    };
  }
  const strict = packages.filter((pkg) => isStrictTier(tierOf(pkg.name)));
  const named = (strict.length > 0 ? strict : packages).slice(0, 5).map((pkg) => `${pkg.name}@${pkg.version}`);
  const more = packages.length - named.length;
  return {
    ruleId: lockfileUntrustedSource.id,
    severity: strict.length > 0 ? 'high' : 'medium',
    package: null,
    message: `${packages.length} packages are resolved from ${host}, which is not a configured registry (${named.join(', ')}${more > 0 ? `, and ${more} more` : ''}).`,
    remediation,
    evidence: { ...evidence, packages: packages.map((pkg) => `${pkg.name}@${pkg.version}`), aiPackages: strict.map((pkg) => pkg.name) },
    location: { file: lockfile, line: first.lockfileLine },
    paths: [],
    aiTier: strict.length > 0 ? tierOf((strict[0] as LockedPackage).name) : null,
  };
}

function problemOf(pkg: LockedPackage, { inventory, policy }: CheckContext, severity: Severity): Problem | null {
  const resolved = pkg.resolved;
  if (resolved && /^http:\/\//i.test(resolved) && !isLoopback(resolved)) {
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

/** Plain http to this machine (a local registry such as Verdaccio) never crosses a network. */
function isLoopback(url: string): boolean {
  const host = hostnameOf(url);
  return host === 'localhost' || host === '[::1]' || (host !== null && /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}

function hostnameOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
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
