import type { AiConfidence, AiHosting, AiRoute, AiToolEvidence, AiToolReport } from './model.js';
import type { CatalogTool, ToolAnswers } from './catalog.js';
import type { Choice, Signal } from './evidence/types.js';
import { namingChoice } from './evidence/choices.js';
import { offeredSentence } from './offered.js';

/** The project setting that picks a provider choice, if one does. */
export type PickOf = (choice: Choice) => { label: string; signal: Signal } | null;

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
  add(target: EndpointTarget, offered: AiRoute, evidence: AiToolEvidence[] = []): string {
    // a tool's name names a hosted endpoint; a self-hosted or unknown host is named by its host alone (api.cline.bot is not OpenRouter's)
    const names = { hosts: [target.host], tools: target.tool && target.hosting === 'vendor' ? [target.tool.name, target.tool.id] : [] };
    const named = namingChoice(offered.choice, names);
    const route = named ? { ...offered, choice: named } : withoutChoice(offered);
    const key = keyOf(target);
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

  /**
   * A gateway the code names (an API base such as `DEFAULT_OPENROUTER_HOST`, a call to its account
   * API) without any followed LLM call reaching it: listed as possible, unless some route reaches it.
   */
  mention(target: EndpointTarget, evidence: AiToolEvidence): void {
    const key = keyOf(target);
    const mentioned = this.mentions.get(key);
    if (mentioned) {
      if (!mentioned.evidence.some((known) => known.file === evidence.file && known.line === evidence.line)) mentioned.evidence.push(evidence);
    } else {
      this.mentions.set(key, { target, reachedBy: new Set(), routes: [], evidence: [evidence] });
    }
  }

  /** One row per endpoint; `pickOf` says whether the project's settings pick a route offered for one provider choice. */
  rows(pickOf: PickOf = () => null): AiToolReport[] {
    const named = [...this.mentions].filter(([key]) => !this.entries.has(key)).map(([, entry]) => entry);
    return [...[...this.entries.values()].map((entry) => row(entry, pickOf)), ...named.map(namedRow)];
  }

  private readonly mentions = new Map<string, Entry>();
}

/** A hosted gateway is one row whichever of its hosts a route names; anything else, one row per host. */
function keyOf(target: EndpointTarget): string {
  return target.tool && !target.direct && target.hosting === 'vendor' ? `tool:${target.tool.id}` : `host:${target.host ?? target.tool?.id ?? '?'}`;
}

/** A gateway the code only names (an API base, its account API), reached by no followed LLM call: what it would be, known only as possible. */
function namedRow(entry: Entry): AiToolReport {
  const report = row(entry, () => null);
  const first = entry.evidence[0];
  const where = first?.file ? ` (${first.file}${first.line ? `:${first.line}` : ''})` : '';
  return {
    ...report,
    confidence: { requestPath: 'possible', handlesKeys: 'possible', sendsPrompts: 'possible', singlePointOfFailure: 'possible' },
    summary: `${entry.target.label}: the project's code names it${where}, as an API base or in a call to its account API, but no LLM call to it was followed; if the code makes one, it is a hop in the path of LLM calls, run by ${entry.target.tool?.vendor ?? 'a third party'}.`,
  };
}

function withoutChoice(route: AiRoute): AiRoute {
  const { choice: _choice, ...rest } = route;
  return rest;
}

export function nameOf(target: EndpointTarget): string {
  return target.host ?? target.tool?.endpoints[0] ?? target.tool?.id ?? 'unknown endpoint';
}

function answersOf(target: EndpointTarget): ToolAnswers {
  if (target.direct) return { requestPath: 'none', handlesKeys: 'none', sendsPrompts: 'none', singlePointOfFailure: false };
  const prompts = target.hosting === 'self-hosted' ? 'none' : target.hosting === 'unknown' ? 'unknown' : target.tool?.role === 'gateway-server' ? target.tool.defaults.sendsPrompts : 'default';
  return { requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: prompts, singlePointOfFailure: true };
}

/**
 * Observed when some route is always taken, or the project's env or deployment files pick the
 * provider a route is offered for; offered when every route sits in a provider choice nothing picks.
 */
function howKnown(routes: AiRoute[], pickOf: PickOf): { confidence: AiConfidence; evidence: AiToolEvidence[] } {
  if (routes.some((route) => !route.choice)) return { confidence: 'observed', evidence: [] };
  const picks = routes.flatMap((route) => {
    const pick = route.choice ? pickOf(route.choice) : null;
    return pick ? [{ pick, route }] : [];
  });
  if (picks.length === 0) return { confidence: 'offered', evidence: [] };
  return {
    confidence: 'observed',
    evidence: picks.map(({ pick }) => ({ kind: 'config' as const, detail: `the project's settings pick '${pick.label}': ${pick.signal.detail}`, ...(pick.signal.file ? { file: pick.signal.file } : {}), ...(pick.signal.line ? { line: pick.signal.line } : {}), supports: [...ALL] })),
  };
}

function row({ target, reachedBy, routes, evidence: routeEvidence }: Entry, pickOf: PickOf): AiToolReport {
  const answers = answersOf(target);
  const known = howKnown(routes, pickOf);
  const evidence = [...routeEvidence, ...known.evidence];
  const by = [...reachedBy].join(', ');
  const who = target.direct ? 'the provider itself' : target.hosting === 'self-hosted' ? 'the project itself' : target.hosting === 'unknown' ? 'an unknown party' : (target.tool?.vendor ?? 'a third party');
  const report: AiToolReport = {
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
    confidence: { requestPath: known.confidence, handlesKeys: known.confidence, sendsPrompts: known.confidence, singlePointOfFailure: known.confidence },
    reaches: [],
    endpoint: { host: target.host, reachedBy: [...reachedBy], routes },
    unresolved: [],
    summary: target.direct
      ? `${target.label}: the provider's own API, called directly by ${by} (no hop through a third party).`
      : `${target.label}: a ${target.hosting === 'self-hosted' ? 'self-hosted' : 'hosted'} hop in the path of LLM calls from ${by}, run by ${who}.`,
    evidence,
  };
  if (!target.direct && known.confidence === 'offered') report.summary += offeredSentence(report);
  return report;
}

/** What reaches an endpoint: the packages or `fetch` whose calls go there; nothing for a gateway only named (an API base, its account API). */
export function reachedBy(tool: AiToolReport): string {
  const by = tool.endpoint?.reachedBy ?? [];
  return by.length > 0 ? `reached by ${by.join(', ')}` : 'named, no LLM call followed';
}
