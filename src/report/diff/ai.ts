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

/** The gateways each tool's LLM calls go through (`via`, one route per gateway). */
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
  for (const tool of tools) {
    for (const via of (tool.via ?? '').split('; ')) {
      if (via) routes.set(`${tool.name}\0${via}`, { from: tool.name, via });
    }
  }
  return routes;
}

function diffAiToolOf(tool: AiToolReport): DiffAiTool {
  return { name: tool.name, version: tool.version, origin: tool.origin, tool: tool.tool, tier: tool.tier };
}
