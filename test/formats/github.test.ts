import { describe, expect, it } from 'vitest';
import { formatGithub } from '../../src/formats/github.js';
import type { Finding } from '../../src/report/model.js';
import { useAiAppReport } from '../helpers/ai-app-report.js';

const fixture = useAiAppReport({ root: '/work/repo/services/bot' });

describe('GitHub annotations', () => {
  it('annotates gated findings as errors with file and line, others as warnings, and skips suppressed ones', () => {
    const lines = formatGithub(fixture.report).trimEnd().split('\n');
    expect(lines[0]).toBe('::error title=ai-chain-audit%3A could not determine registry::Facts for 2 packages could not be fetched (HTTP 503 from the registry).');
    expect(lines.find((line) => line.includes('unpinned-spec (high) litellm'))).toMatch(/^::error file=package\.json,line=\d+,title=unpinned-spec \(high\) litellm@[^:]+::.+%0AFix: Pin the exact version/);
    expect(lines.some((line) => line.includes(' express@'))).toBe(false);
    const lowFinding: Finding = { ...(fixture.report.findings[0] as Finding), severity: 'low', suppressed: null };
    expect(formatGithub({ ...fixture.report, errors: [], findings: [lowFinding] })).toMatch(/^::warning /);
    expect(formatGithub({ ...fixture.report, errors: [], findings: [{ ...lowFinding, severity: 'info' }] })).toMatch(/^::notice /);
  });

  it('makes paths relative to the checkout', () => {
    expect(formatGithub(fixture.report, { sourceRoot: '/work/repo' })).toMatch(/file=services\/bot\/package\.json,line=\d+/);
  });

  it('escapes workflow-command syntax in properties and messages', () => {
    const tricky: Finding = {
      ...(fixture.report.findings[0] as Finding),
      suppressed: null,
      message: '100% bad\r\n::error::injected',
      location: { file: 'a,b:c.json', line: 3 },
    };
    const out = formatGithub({ ...fixture.report, errors: [], findings: [tricky] });
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(out).toContain('file=a%2Cb%3Ac.json,line=3');
    expect(out).toContain('::100%25 bad%0D%0A::error::injected%0AFix:');
  });

  it('caps the number of annotations and says how many were left out', () => {
    const many = Array.from({ length: 60 }, (): Finding => ({ ...(fixture.report.findings[0] as Finding), suppressed: null }));
    const lines = formatGithub({ ...fixture.report, errors: [], findings: many }).trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[50]).toMatch(/^::notice title=ai-chain-audit::10 more findings are not annotated/);
  });
});
