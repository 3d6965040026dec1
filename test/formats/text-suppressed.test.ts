import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/formats/text.js';
import { useAiAppReport } from '../helpers/ai-app-report.js';

const fixture = useAiAppReport({ root: '/project' });

describe('text output and the allow-list', () => {
  it('lists suppressed findings apart, with reason and expiry, and counts them in the summary line', () => {
    const text = formatText(fixture.report, { color: false });
    const [active, rest] = text.split('SUPPRESSED by the allow-list (1)');
    expect(active).not.toMatch(/unpinned-spec express@/);
    expect(rest).toMatch(/^ {2}○ unpinned-spec express@\S+ \[low\]: Express follows semver strictly; reviewed by the platform team\. \(until 2027-01-31\)$/m);
    expect(text).toMatch(/, 1 suppressed\) in 113 packages/);
    expect(text).toMatch(/note: Allow-list entry unpinned-spec litellm expired on 2026-10-01/);
  });
});
