import { aiToolFinding, subject } from './ai-tool-finding.js';
import type { Check } from './types.js';

/** A third party that receives or holds provider keys can spend them, or leak them — high; the project's own gateway holding them is medium. */
export const aiToolHandlesKeys: Check<'ai-tool-handles-keys'> = {
  id: 'ai-tool-handles-keys',
  severity: 'medium',
  description: 'An AI tool receives or forwards provider API keys.',
  help: 'The tool receives or forwards provider API keys. Give it scoped, revocable keys and pin its version.',
  run(context) {
    return (context.ai?.tools ?? [])
      .filter((tool) => tool.handlesKeys === 'forwards')
      .map((tool) => {
        const thirdParty = tool.hosting !== 'self-hosted';
        const server = tool.role === 'gateway-server';
        return aiToolFinding(context, tool, {
          ruleId: aiToolHandlesKeys.id,
          severity: thirdParty ? 'high' : server ? 'medium' : 'low',
          message: thirdParty
            ? `${subject(tool)} sends provider API keys (or keys that unlock them) to ${tool.via ?? tool.vendor}, ${tool.hosting === 'unknown' ? 'a host the project does not run' : 'a third party'}.`
            : server
              ? `${subject(tool)} is the project's own gateway and holds every provider API key it forwards: a compromised build of it exposes all of them.`
              : `${subject(tool)} sends its key to the project's own gateway ${tool.via ?? ''}, which holds the provider keys.`.replace(' ,', ','),
          remediation: thirdParty
            ? 'Use the gateway\'s scoped or virtual keys with spending limits, rotate provider keys it has seen, and review the vendor\'s key storage.'
            : 'Pin the gateway image or package by digest or exact version, give it scoped provider keys, and rotate them after any suspicious release.',
          evidence: { handlesKeys: tool.handlesKeys },
        });
      });
  },
};
