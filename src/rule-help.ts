import type { RuleId } from './rules.js';

/**
 * What to do about each rule, in a few sentences: the help text of SARIF rules and of
 * code-scanning alerts. The README's rules table is the longer documentation.
 */
export const RULE_HELP: Record<RuleId, string> = {
  'lockfile-missing': 'Without a lockfile every install resolves versions afresh and can pick up a release published minutes ago. Commit the lockfile of your package manager and install with `npm ci` (or its equivalent) in CI.',
  'lockfile-out-of-sync': 'package.json asks for a package or range the lockfile does not hold, so the next install resolves it afresh. Run the package manager locally to update the lockfile, review the diff and commit it.',
  'lockfile-integrity-missing': 'A locked package without a sha512 integrity hash is installed without checking its content. Regenerate the lockfile with a current package manager so every entry carries an integrity hash.',
  'lockfile-integrity-mismatch': 'The integrity in the lockfile differs from what the registry publishes for that version: the tarball was replaced or the lockfile was edited. Do not install; find out which side changed before regenerating the entry.',
  'lockfile-untrusted-source': 'The package is installed from a host that is not a configured registry, over plain http, from git, from a remote tarball or from a file outside the project. Install it from your registry at an exact version, or add the host to `trustedHosts` in the policy file if it is yours.',
  'unpinned-spec': 'A range, dist-tag or moving git ref lets a fresh install pick up a release published after the lockfile was written. Declare the exact version (`npm install --save-exact`), above all for AI gateways and AI cost tools.',
  'recent-release': 'Malicious releases are usually found and removed within hours or days. Wait until the locked version is older than the minimum release age before adopting it, or pin the previous version.',
  'version-unpublished': 'The registry no longer serves the locked version; removed versions are often malicious releases taken down. Move to a published version and check the machines that installed this one.',
  'deprecated-version': 'The publisher marks this version deprecated; the deprecation message usually names the version to move to.',
  'install-script': 'Install scripts run with your privileges on every install. Keep `ignore-scripts=true` in `.npmrc` and allow the few packages that need a build step explicitly.',
  'install-script-added': 'This version adds install scripts the previous version did not have, a common pattern of hijacked releases. Review the scripts before adopting the version, or stay on the previous one.',
  'publisher-changed': 'The version was published by an account that published none of the recent earlier versions. Check the package repository for a legitimate maintainer change before adopting it.',
  'signature-missing': 'The registry publishes signing keys, yet the locked version has no dist.signatures: the signature may have been stripped by a proxy or a tampered mirror. `npm audit signatures` fails such a version; install it only once the registry serves its signature.',
  'signature-invalid': 'The registry signature over name@version:integrity does not verify: the metadata or tarball is not what the registry signed. Do not install; report it to the registry.',
  'provenance-missing': 'The version has no provenance attestation, so nothing ties it to a source commit and a build. Prefer versions published with provenance, and ask the maintainers to publish with it.',
  'provenance-regression': 'Earlier versions were published with provenance by a CI pipeline; this one was not, as when a release is pushed from a stolen token. Verify the release with the maintainers or stay on the previous version.',
  'provenance-invalid': 'An attestation bundle fails Sigstore verification or names another package: treat the version as tampered with. Do not install it.',
  'provenance-source-mismatch': 'The provenance names a source repository other than the one expected in the policy file. Check whether the project moved; otherwise treat the release as untrusted.',
  'ai-gateway-in-path': 'An AI gateway sits in the network path of every LLM call: it sees prompts and keys and its outage stops the application. Pin it exactly, keep a direct-to-provider fallback, and review its releases.',
  'ai-tool-handles-keys': 'The tool receives or forwards provider API keys. Give it scoped, revocable keys and pin its version.',
  'ai-tool-sends-prompts': 'The tool ships prompts or completions to a third party. Check that this is intended, covered by your data agreements, and disable payload capture where you only need metadata.',
  'ai-gateway-image-unpinned': 'A gateway container image or Python gateway package is referenced by a mutable tag or range. Pin images by digest (`image@sha256:…`) and Python packages with `==` and hashes.',
};
