import { pythonFindingsOf } from './python-findings.js';
import type { Check } from './types.js';

/** PEP 592: an index yanks a release that is broken or unsafe; an exact pin still installs it. */
export const versionYanked: Check<'version-yanked'> = {
  id: 'version-yanked',
  severity: 'high',
  description: 'The Python index marks the locked version yanked (PEP 592), usually because it is broken or unsafe.',
  help: 'The index yanked this version: installers skip it unless it is pinned exactly, and the yank reason usually says why (broken, vulnerable or malicious). Move to a release that is not yanked and check the machines that installed this one.',
  run: (context) => pythonFindingsOf('version-yanked', context),
};
