import type { Choice } from './evidence/types.js';
import type { AiToolEvidence, AiToolReport } from './model.js';

// One place for how an offered tool says where it is picked: the row summary, the finding message,
// the text report and the evidence line of a package used only inside a choice all read it here.

const EVIDENCE_PREFIX = 'offered only: ';

/** `'openrouter' or 'OPENROUTER'`: the names that pick a choice, quoted. */
export function pickedBy(choice: Choice): string {
  return choice.labels.map((label) => `'${label}'`).join(' or ');
}

/** The evidence line of a package whose every use sits in one provider choice. */
export function offeredEvidence(choice: Choice): AiToolEvidence {
  return { kind: 'source', detail: `${EVIDENCE_PREFIX}the project's code uses it only when the provider picked at run time is ${pickedBy(choice)}, and no env or deployment file picks it`, file: choice.file, line: choice.line };
}

/** Where an offered tool is picked: its first route's choice (an endpoint), or the evidence line above (a package). */
function pickOfTool(tool: AiToolReport): { file: string; line: number | null; choice: Choice | null } | null {
  const choice = tool.endpoint?.routes.find((route) => route.choice)?.choice;
  if (choice) return { file: choice.file, line: choice.line, choice };
  const shown = tool.evidence.find((item) => item.detail.startsWith(EVIDENCE_PREFIX));
  return shown?.file ? { file: shown.file, line: shown.line ?? null, choice: null } : null;
}

/** The sentence an offered tool's summary and findings end with. */
export function offeredSentence(tool: AiToolReport): string {
  const at = pickOfTool(tool);
  const where = at ? ` (${at.file}${at.line ? `:${at.line}` : ''})` : '';
  const when = at?.choice ? `the code takes this route when the provider picked at run time is ${pickedBy(at.choice)}${where}` : `the project's code uses it only for a provider picked at run time${where}`;
  return ` Offered only: ${when}; no env or deployment file of the project picks it.`;
}
