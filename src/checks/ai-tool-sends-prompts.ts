import { aiToolFinding, subject } from './ai-tool-finding.js';
import type { Check } from './types.js';

/** Prompts and completions leaving for a third party: personal data, secrets pasted by users, business data. */
export const aiToolSendsPrompts: Check<'ai-tool-sends-prompts'> = {
  id: 'ai-tool-sends-prompts',
  severity: 'medium',
  description: 'An AI tool ships prompts or completions to a third party.',
  help: 'The tool ships prompts or completions to a third party. Check that this is intended, covered by your data agreements, and disable payload capture where you only need metadata.',
  run(context) {
    return (context.ai?.tools ?? [])
      .filter((tool) => (tool.sendsPrompts === 'default' || tool.sendsPrompts === 'opt-in') && tool.hosting !== 'self-hosted')
      .map((tool) => {
        const byDefault = tool.sendsPrompts === 'default';
        const where = tool.via ?? tool.vendor;
        return aiToolFinding(context, tool, {
          ruleId: aiToolSendsPrompts.id,
          severity: byDefault ? 'medium' : 'info',
          message: byDefault
            ? `${subject(tool)} ships prompts and completions to ${where} by default.`
            : `${subject(tool)} can ship prompts and completions to ${where} when content capture is switched on.`,
          remediation: byDefault
            ? 'Confirm this is covered by your data-processing terms; turn on masking or content redaction, or self-host the backend.'
            : 'Keep content capture off in production unless your data-processing terms cover it.',
          evidence: { sendsPrompts: tool.sendsPrompts },
        });
      });
  },
};
