/**
 * Releases known to have been published with malicious code. Kept short and sourced: an
 * entry here turns a reference to that exact version into a critical finding.
 */
interface CompromisedRelease {
  ecosystem: 'pypi' | 'npm';
  name: string;
  versions: string[];
  note: string;
}

export const COMPROMISED_RELEASES: readonly CompromisedRelease[] = [
  {
    ecosystem: 'pypi',
    name: 'litellm',
    versions: ['1.82.7', '1.82.8'],
    note: 'known-compromised LiteLLM release (March 2026: credential stealer for SSH keys, cloud credentials, .env files and Kubernetes secrets)',
  },
];

export function compromisedRelease(ecosystem: 'pypi' | 'npm', name: string, version: string): string | null {
  const wanted = name.toLowerCase().replace(/[-_.]+/g, '-');
  const hit = COMPROMISED_RELEASES.find((entry) => entry.ecosystem === ecosystem && entry.name === wanted && entry.versions.includes(version));
  return hit ? hit.note : null;
}
