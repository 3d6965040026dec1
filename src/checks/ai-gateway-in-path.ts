import { aiToolFinding, subject } from './ai-tool-finding.js';
import type { Check } from './types.js';

/** Every LLM call crosses a separate service: it sees the traffic and its outage is the app's outage. */
export const aiGatewayInPath: Check<'ai-gateway-in-path'> = {
  id: 'ai-gateway-in-path',
  severity: 'medium',
  description: 'An AI gateway or proxy sits in the network path of LLM calls.',
  help: 'An AI gateway sits in the network path of every LLM call: it sees prompts and keys and its outage stops the application. Pin it exactly, keep a direct-to-provider fallback, and review its releases.',
  run(context) {
    return (context.ai?.tools ?? [])
      .filter((tool) => tool.requestPath === 'network-hop')
      .map((tool) => {
        const selfHosted = tool.hosting === 'self-hosted';
        const via = tool.via ? ` through ${tool.via}` : '';
        return aiToolFinding(context, tool, {
          ruleId: aiGatewayInPath.id,
          severity: selfHosted ? 'low' : 'medium',
          message: `${subject(tool)} puts a network hop in the path of LLM calls${via}, run by ${selfHosted ? 'the project itself' : tool.hosting === 'unknown' ? 'an unknown party' : tool.via ? 'a third party' : tool.vendor}${tool.singlePointOfFailure ? '; when it is down, the LLM features are down' : ''}.`,
          remediation: selfHosted
            ? 'Pin the gateway build, keep a direct-to-provider fallback, and monitor it like any other critical dependency.'
            : 'Make sure the hop is intended; keep a direct-to-provider fallback, or self-host the gateway if the vendor must not see the traffic.',
          evidence: { requestPath: tool.requestPath, singlePointOfFailure: tool.singlePointOfFailure },
        });
      });
  },
};
