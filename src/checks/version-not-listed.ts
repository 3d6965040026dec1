import { pythonFindingsOf } from './python-findings.js';
import type { Check } from './types.js';

/**
 * A version the index never listed, or no longer lists: PyPI deletes a malicious release instead of
 * marking it, so for Python this is what a removed release looks like; it is also a mirror gap or a
 * version from another index. Distinct from version-unpublished, where the registry still records it.
 */
export const versionNotListed: Check<'version-not-listed'> = {
  id: 'version-not-listed',
  severity: 'high',
  description: 'The index the package is installed from does not list the locked version: removed (as malicious releases are), never published there, or a mirror gap.',
  help: 'The configured index does not list the locked version. Removed releases disappear this way (a malicious Python release is deleted, not marked), as do versions from another index or a mirror that lags. Find out where the version came from before installing it again.',
  run: (context) => pythonFindingsOf('version-not-listed', context),
};
