import { describe, expect, it } from 'vitest';
import { formatMarkdown } from '../../src/formats/markdown.js';
import type { Finding } from '../../src/report/model.js';
import { useAiAppReport } from '../helpers/ai-app-report.js';

const fixture = useAiAppReport({ root: '/project' });

describe('Markdown', () => {
  it('matches the golden file', async () => {
    await expect(formatMarkdown(fixture.report)).toMatchFileSnapshot('../golden/ai-app.md');
  });

  it('has a verdict, a severity table, a findings table and the suppressed and expired allow-list entries', () => {
    const md = formatMarkdown(fixture.report);
    expect(md).toMatch(/^## ai-chain-audit: ⚠️ incomplete \(fail-on: high\)/);
    expect(md).toMatch(/^\| severity \| findings \|$/m);
    expect(md).toMatch(/^### Findings \(3\)$/m);
    expect(md).toMatch(/^\| high \| `unpinned-spec` \| `litellm@[^`]+`<br>AI gateway \| `package\.json:\d+` \|/m);
    expect(md).toMatch(/^### Suppressed by the allow-list \(1\)$/m);
    expect(md).toMatch(/^### Expired allow-list entries \(1\)$/m);
    expect(md).toMatch(/^### Could not be determined \(1\)$/m);
  });

  it('keeps text from packages and messages from breaking the table or injecting HTML', () => {
    const hostile: Finding = {
      ...(fixture.report.findings[0] as Finding),
      message: 'a | b\nc <img src=x onerror=alert(1)>',
      suppressed: null,
    };
    const md = formatMarkdown({ ...fixture.report, findings: [hostile] });
    const row = md.split('\n').find((line) => line.includes('a \\| b'));
    expect(row).toContain('a \\| b\\\\nc &lt;img src=x onerror=alert(1)&gt;');
    expect(row?.split(/(?<!\\)\|/).length).toBe(7);
  });

  it('shows at most 100 finding rows and says how many more there are', () => {
    const many = Array.from({ length: 130 }, (_, index): Finding => ({ ...(fixture.report.findings[0] as Finding), suppressed: null, package: { name: `pkg-${index}`, version: '1.0.0' } }));
    const md = formatMarkdown({ ...fixture.report, findings: many });
    expect(md.split('\n').filter((line) => line.startsWith('| high |'))).toHaveLength(100);
    expect(md).toContain('…and 30 more findings');
  });
});
