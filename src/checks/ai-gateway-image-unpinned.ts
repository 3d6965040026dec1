import type { GatewayDeployment } from '../ai/classify.js';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import type { Check } from './types.js';

/**
 * The LiteLLM incident (March 2026) hit those who pulled a moving tag or an unpinned package in
 * a window of hours; a digest or an exact, locked version was safe. A known-compromised version is critical.
 */
export const aiGatewayImageUnpinned: Check<'ai-gateway-image-unpinned'> = {
  id: 'ai-gateway-image-unpinned',
  severity: 'high',
  description: 'A gateway container image or Python gateway package is referenced by a mutable tag or range.',
  help: 'A gateway container image or Python gateway package is referenced by a mutable tag or range. Pin images by digest (`image@sha256:…`) and Python packages with `==` and hashes.',
  run(context) {
    return (context.ai?.deployments ?? []).flatMap((deployment): Finding[] => {
      const severity = severityOf(deployment);
      if (!severity) return [];
      return [
        {
          ruleId: aiGatewayImageUnpinned.id,
          severity,
          package: { name: deployment.name, version: versionOf(deployment) },
          message: messageOf(deployment),
          remediation: remediationOf(deployment),
          evidence: { tool: deployment.tool, kind: deployment.kind, ref: deployment.ref, pinning: deployment.pinning, ...(deployment.compromised ? { compromised: deployment.compromised } : {}) },
          location: { file: deployment.file, line: deployment.line },
          paths: [],
          aiTier: 'gateway',
        },
      ];
    });
  },
};

function severityOf(deployment: GatewayDeployment): Severity | null {
  if (deployment.compromised) return 'critical';
  if (deployment.pinning === 'mutable') return 'high';
  if (deployment.pinning === 'version-tag') return 'low';
  return null;
}

function versionOf(deployment: GatewayDeployment): string | null {
  const at = deployment.ref.indexOf('@');
  if (deployment.kind === 'image') return at !== -1 ? deployment.ref.slice(at + 1) : deployment.ref.includes(':') ? deployment.ref.slice(deployment.ref.lastIndexOf(':') + 1) : null;
  return deployment.ref.slice(deployment.name.length).trim() || null;
}

function messageOf(deployment: GatewayDeployment): string {
  if (deployment.compromised) return `${deployment.ref} is a ${deployment.compromised}.`;
  if (deployment.kind === 'image') {
    return deployment.pinning === 'version-tag'
      ? `The ${deployment.tool} image ${deployment.ref} is pinned by a version tag, which the publisher can move; only a digest is immutable.`
      : `The ${deployment.tool} image ${deployment.ref} uses a mutable tag${deployment.ref.includes(':') ? '' : ' (none given: latest)'}: every pull may run a different, unreviewed build of the gateway that holds the provider keys.`;
  }
  return `The Python gateway package ${deployment.ref.trim()} is not pinned to an exact version and no lockfile next to it locks it: an install in a bad window gets whatever was just published.`;
}

function remediationOf(deployment: GatewayDeployment): string {
  if (deployment.compromised) return 'Remove this version now, rotate every key and credential the host could read, and pin a reviewed release.';
  if (deployment.kind === 'image') return `Pin the image by digest (${deployment.name}@sha256:…) of a reviewed release, and update it deliberately.`;
  return `Pin it exactly (${deployment.name}==<reviewed version>) with hashes, or lock it (uv.lock / poetry.lock) and install from the lock.`;
}
