import type { AiToolReport } from './model.js';

/** Says so when the analysis found nothing AI-shaped, and what it read to conclude that: silence would look like a skipped check. */
export function noAiToolsNotice(tools: AiToolReport[], coverage: { sourceFiles: number; configFiles: number } | undefined): string | null {
  if (tools.length > 0) return null;
  const read = coverage ? ` in the lockfile, ${coverage.sourceFiles} source file(s) and ${coverage.configFiles} other project file(s)` : ' in the lockfile';
  return `AI analysis: no AI packages, AI endpoints or provider API calls found${read}.`;
}
