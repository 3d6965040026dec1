import type { AiHosting, AiRoute, AiToolEvidence, AiToolReport } from './model.js';
import type { CatalogTool, ToolAnswers } from './catalog.js';

/** Where a route leads: a catalogued gateway, a self-hosted or unknown host, or a provider's own API. */
export interface EndpointTarget {
  tool: CatalogTool | null;
  host: string | null;
  hosting: AiHosting;
  /** A provider's own API: the destination, not a hop through a third party. */
  direct: boolean;
  label: string;
}

interface Entry {
  target: EndpointTarget;
  reachedBy: Set<string>;
  routes: AiRoute[];
  evidence: AiToolEvidence[];
}

const ALL = ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'] as const;

/** The endpoints the project's calls go to, one row each, with every route that reaches them. */
export class EndpointBook {
  private readonly entries = new Map<string, Entry>();

  /** Records a route and returns the endpoint row's name. */
  add(target: EndpointTarget, route: AiRoute, evidence: AiToolEvidence[] = []): string {
    const key = target.tool && !target.direct && target.hosting === 'vendor' ? `tool:${target.tool.id}` : `host:${target.host ?? target.tool?.id ?? '?'}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { target, reachedBy: new Set(), routes: [], evidence: [] };
      this.entries.set(key, entry);
    }
    entry.reachedBy.add(route.from ?? 'fetch');
    if (!entry.routes.some((item) => item.file === route.file && item.line === route.line && item.from === route.from)) {
      entry.routes.push(route);
      entry.evidence.push({ kind: route.how === 'env' ? 'config' : 'source', detail: route.detail, file: route.file, ...(route.line ? { line: route.line } : {}), supports: [...ALL] });
    }
    for (const item of evidence) if (!entry.evidence.some((known) => known.detail === item.detail && known.file === item.file && known.line === item.line)) entry.evidence.push(item);
    return nameOf(target);
  }

  rows(): AiToolReport[] {
    return [...this.entries.values()].map(row);
  }
}

export function nameOf(target: EndpointTarget): string {
  return target.host ?? target.tool?.endpoints[0] ?? target.tool?.id ?? 'unknown endpoint';
}

function answersOf(target: EndpointTarget): ToolAnswers {
  if (target.direct) return { requestPath: 'none', handlesKeys: 'none', sendsPrompts: 'none', singlePointOfFailure: false };
  const prompts = target.hosting === 'self-hosted' ? 'none' : target.hosting === 'unknown' ? 'unknown' : target.tool?.role === 'gateway-server' ? target.tool.defaults.sendsPrompts : 'default';
  return { requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: prompts, singlePointOfFailure: true };
}

function row({ target, reachedBy, routes, evidence }: Entry): AiToolReport {
  const answers = answersOf(target);
  const by = [...reachedBy].join(', ');
  const who = target.direct ? 'the provider itself' : target.hosting === 'self-hosted' ? 'the project itself' : target.hosting === 'unknown' ? 'an unknown party' : (target.tool?.vendor ?? 'a third party');
  return {
    name: nameOf(target),
    version: null,
    kind: 'endpoint',
    origin: 'endpoint',
    tool: target.tool?.name ?? 'unknown',
    vendor: target.tool?.vendor ?? (target.hosting === 'self-hosted' ? 'self-hosted' : 'unknown'),
    tier: target.direct ? 'provider-sdk' : 'gateway',
    role: target.direct ? 'provider-api' : target.hosting === 'self-hosted' ? 'gateway-server' : 'gateway-client',
    ...answers,
    hosting: target.hosting,
    via: null,
    confidence: { requestPath: 'observed', handlesKeys: 'observed', sendsPrompts: 'observed', singlePointOfFailure: 'observed' },
    reaches: [],
    endpoint: { host: target.host, reachedBy: [...reachedBy], routes },
    unresolved: [],
    summary: target.direct
      ? `${target.label}: the provider's own API, called directly by ${by} (no hop through a third party).`
      : `${target.label}: a ${target.hosting === 'self-hosted' ? 'self-hosted' : 'hosted'} hop in the path of LLM calls from ${by}, run by ${who}.`,
    evidence,
  };
}
