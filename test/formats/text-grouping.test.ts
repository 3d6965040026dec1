import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/formats/text.js';
import type { Finding, Report } from '../../src/report/model.js';
import type { Severity } from '../../src/model/severity.js';
import { useAiAppReport } from '../helpers/ai-app-report.js';

const fixture = useAiAppReport({ root: '/project' });

function finding(ruleId: Finding['ruleId'], severity: Severity, name: string): Finding {
  return { ruleId, severity, package: { name, version: '1.0.0' }, message: `${name} message.`, remediation: `${name} fix.`, evidence: {}, location: { file: 'package.json', line: 3 }, paths: [['app', name]], aiTier: null };
}

/** The fixture's report with `count` low unpinned-spec findings, two low install-script and one high recent-release. */
function noisy(count: number, summary: Partial<Report['summary']> = {}): Report {
  const lows = Array.from({ length: count }, (_, i) => finding('unpinned-spec', 'low', `dep-${String(i).padStart(4, '0')}`));
  const findings = [finding('recent-release', 'high', 'hot'), ...lows, finding('install-script', 'low', 'sharp'), finding('install-script', 'low', 'esbuild')];
  return { ...fixture.report, findings, summary: { ...fixture.report.summary, failOn: 'high', ...summary } };
}

describe('text report: what is below the gate is grouped per rule', () => {
  it('lists findings at or above --fail-on in full, and sums up the rest per rule with a few examples', () => {
    const text = formatText(noisy(2000), { color: false });
    expect(text).toMatch(/^ {2}● recent-release hot@1\.0\.0 package\.json:3\n {4}hot message\.\n {4}why: app > hot\n {4}fix: hot fix\.$/m);
    expect(text).toContain('LOW (2002) — below the gate, grouped by rule (--verbose lists each)');
    expect(text).toContain('  ● unpinned-spec ×2000: dep-0000@1.0.0, dep-0001@1.0.0, dep-0002@1.0.0, … and 1997 more\n    e.g. dep-0000 message.');
    expect(text).toContain('  ● install-script ×2: sharp@1.0.0, esbuild@1.0.0\n');
    expect(text).not.toContain('dep-0003');
    // a 2,000-finding project fits on a screen or two
    expect(text.split('\n').length).toBeLessThan(80);
  });

  it('--verbose lists every finding', () => {
    const text = formatText(noisy(50), { color: false, verbose: true });
    expect(text).not.toContain('grouped by rule');
    expect(text).toMatch(/● unpinned-spec dep-0049@1\.0\.0/);
    expect(text.match(/^ {2}● /gm)).toHaveLength(53);
  });

  it('groups nothing a stricter gate counts', () => {
    const text = formatText(noisy(5, { failOn: 'low' }), { color: false });
    expect(text).not.toContain('grouped by rule');
    expect(text).toMatch(/● unpinned-spec dep-0004@1\.0\.0/);
  });

  it('with the gate off, groups every severity', () => {
    const text = formatText(noisy(5, { failOn: 'none' }), { color: false });
    expect(text).toContain('HIGH (1) — below the gate');
    expect(text).toContain('● recent-release ×1: hot@1.0.0');
  });
});

describe('text report: the verdict names what went unchecked', () => {
  const unchecked: Report['summary']['unchecked'] = [
    { check: 'signatures', packages: 2204, reasons: [{ reason: 'the registry publishes no signing keys', packages: 2204 }] },
    { check: 'provenance', packages: 2204, reasons: [{ reason: 'no attestations', packages: 2000 }, { reason: 'registry facts unavailable (fetch failed)', packages: 204 }] },
  ];

  it('never says PASSED alone when signatures and provenance went unchecked', () => {
    const text = formatText({ ...noisy(0), findings: [], summary: { ...fixture.report.summary, passed: true, unchecked } }, { color: false });
    expect(text).toMatch(/— PASSED \(with unchecked: signatures 2204, provenance 2204\) \(fail-on: /);
    expect(text).toContain('Not checked\n  ? signatures for 2204 of ');
    expect(text).toContain('packages: the registry publishes no signing keys\n');
    expect(text).toContain('  ? provenance for 2204 of ');
    expect(text).toContain(': no attestations (2000); registry facts unavailable (fetch failed) (204)');
  });

  it('says PASSED plainly when everything was checked', () => {
    const text = formatText({ ...noisy(0), findings: [], summary: { ...fixture.report.summary, passed: true, unchecked: [] } }, { color: false });
    expect(text).not.toContain('Not checked');
    expect(text).toMatch(/— PASSED \(fail-on: /);
  });
});
