import type { AiToolReport } from '../model.js';
import type { DiffAiRoute, DiffAiTool, ReportDiff } from './model.js';

/** AI tools by where they come from and their name (a version bump is a package change, not a new tool). */
export function diffAiTools(base: AiToolReport[], head: AiToolReport[]): ReportDiff['aiTools'] {
  const key = (tool: AiToolReport) => `${tool.origin}\0${tool.name}`;
  const before = new Set(base.map(key));
  const after = new Set(head.map(key));
  return {
    added: head.filter((tool) => !before.has(key(tool))).map(diffAiToolOf),
    removed: base.filter((tool) => !after.has(key(tool))).map(diffAiToolOf),
  };
}

/** Which package (or plain `fetch`) sends LLM calls through which endpoint: one route per pair. */
export function diffAiRoutes(base: AiToolReport[], head: AiToolReport[]): ReportDiff['aiRoutes'] {
  const before = routesOf(base);
  const after = routesOf(head);
  return {
    added: [...after].filter(([key]) => !before.has(key)).map(([, route]) => route),
    removed: [...before].filter(([key]) => !after.has(key)).map(([, route]) => route),
  };
}

function routesOf(tools: AiToolReport[]): Map<string, DiffAiRoute> {
  const routes = new Map<string, DiffAiRoute>();
  const add = (from: string, via: string) => routes.set(`${from}\0${via}`, { from, via });
  for (const tool of tools) {
    // endpoints are rows of their own: who reaches them is the route
    if (tool.kind === 'endpoint') for (const from of tool.endpoint?.reachedBy ?? []) add(from, tool.name);
    for (const endpoint of tool.reaches) add(tool.name, endpoint);
    // a report without endpoint rows names the gateways in `via`
    if (tool.kind !== 'endpoint' && tool.reaches.length === 0) for (const via of (tool.via ?? '').split('; ')) if (via) add(tool.name, via);
  }
  return routes;
}

function diffAiToolOf(tool: AiToolReport): DiffAiTool {
  return { name: tool.name, version: tool.version, origin: tool.origin, tool: tool.tool, tier: tool.tier };
}
