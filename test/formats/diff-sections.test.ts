import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { withBaseline } from '../../src/audit-with-base.js';
import { formatGithub } from '../../src/formats/github.js';
import { diffReports } from '../../src/report/diff/diff-reports.js';
import { diffMarkdownSection } from '../../src/formats/diff-markdown.js';
import { diffTextLines } from '../../src/formats/diff-text.js';
import { express, nativeBuild, openai, reportOf } from '../helpers/diff-reports.js';

const base = reportOf([express('4.21.0'), openai('4.0.0'), { pkg: { name: 'left-pad', version: '1.3.0' } }]);
const head = reportOf([express('4.21.0'), openai('4.1.0'), nativeBuild]);
const { diff, findings } = diffReports(base, head, { ref: 'main', commit: '0123456789abcdef0123456789abcdef01234567' });

describe('the Markdown diff section', () => {
  it('leads with one line of counts and a table of what the pull request adds, changes and removes', () => {
    expect(diffMarkdownSection(diff, findings)).toBe(
      [
        '### What this pull request changes',
        '',
        'Against `main` (`0123456789ab`): **1 added, 1 changed, 1 removed** · AI tools +0 −0, routes +0 −0 · **1 new finding** (1 already at the base, 0 gone)',
        '',
        '|  | package | change | new findings |',
        '| --- | --- | --- | --- |',
        '| added | `native-build@1.0.0` | direct | **low** `install-script` |',
        '| changed | `openai` | `4.0.0` → `4.1.0` |  |',
        '| removed | `left-pad@1.3.0` |  |  |',
      ].join('\n'),
    );
  });

  it('escapes what came from the lockfile and lists new findings on packages that did not change', () => {
    const sneaky = reportOf([{ pkg: { name: 'evil|<img src=x>', version: '1.0.0', resolved: 'https://user:pw@mirror.example.test/x.tgz', source: 'remote' } }]);
    const result = diffReports(reportOf([]), sneaky);
    const text = diffMarkdownSection(result.diff, result.findings);
    expect(text).toContain('| added | `evil\\|<img src=x>@1.0.0` | transitive, from remote `mirror.example.test` |');
    expect(text).not.toContain('pw@');
    const stale = diffReports(head, { ...head, findings: [...head.findings, { ...head.findings[0]!, ruleId: 'deprecated-version', package: { name: 'express', version: '4.21.0' }, message: 'express@4.21.0 is <b>deprecated</b>' }] });
    expect(diffMarkdownSection(stale.diff, stale.findings)).toContain('New findings outside the changed packages:\n\n- **low** `deprecated-version` `express@4.21.0`: express@&#8203;4.21.0 is &lt;b&gt;deprecated&lt;/b&gt;');
  });

  it('says so when nothing changed', () => {
    const same = diffReports(head, head, { ref: 'HEAD', commit: null });
    expect(diffMarkdownSection(same.diff, same.findings)).toContain('Against `HEAD`: **0 added, 0 changed, 0 removed**');
    expect(diffMarkdownSection(same.diff, same.findings)).toContain('No package, AI tool or AI route changes.');
  });
});

describe('the text diff summary', () => {
  const c = new Chalk({ level: 0 });

  it('one line of counts, then one line per change with its new findings', () => {
    expect(diffTextLines(diff, findings, c)).toEqual([
      'Against main (0123456789ab): 1 added, 1 changed, 1 removed; AI tools +0 -0, routes +0 -0; 1 new finding, 1 already at the base, 0 gone',
      '  + native-build@1.0.0 (direct)  [new: install-script]',
      '  ~ openai 4.0.0 -> 4.1.0',
      '  - left-pad@1.3.0',
    ]);
  });

  it('control characters from a lockfile never reach the terminal', () => {
    const result = diffReports(reportOf([]), reportOf([{ pkg: { name: 'x\u001b[2Jy', version: '1.0.0' } }]));
    expect(diffTextLines(result.diff, result.findings, c)[1]).toBe('  + x?[2Jy@1.0.0');
  });
});

describe('GitHub annotations with a base', () => {
  it('an error only for new findings at or above the threshold; the ones the base had are warnings', () => {
    const strictHead = { ...head, summary: { ...head.summary, failOn: 'low' as const } };
    const report = withBaseline(strictHead, base, { ref: 'main', commit: null, notices: [], dir: '/nonexistent' }, { failOnExisting: false });
    const lines = formatGithub(report).trim().split('\n');
    expect(lines.filter((line) => line.startsWith('::error')).map((line) => /title=([^,:]+)/.exec(line)?.[1])).toEqual(['install-script (low) native-build@1.0.0']);
    expect(lines.some((line) => line.startsWith('::warning') && line.includes('unpinned-spec (low) express'))).toBe(true);
    const all = withBaseline(strictHead, base, { ref: 'main', commit: null, notices: [], dir: '/nonexistent' }, { failOnExisting: true });
    expect(formatGithub(all).split('\n').filter((line) => line.startsWith('::error'))).toHaveLength(2);
  });
});
