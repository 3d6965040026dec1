import { Chalk } from 'chalk';
import type { Catalog, CatalogTool } from '../ai/catalog.js';

/** The AI catalog as a table: one row per package (or per container / Python package for tools without npm packages). */
export function formatCatalogText(catalog: Catalog, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const head = ['tool', 'package', 'role', 'tier', 'request path', 'provider keys', 'prompts to 3rd party', 'SPOF', 'modes'];
  const rows = catalog.tools.flatMap((tool) => rowsOf(tool));
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const packages = catalog.tools.reduce((count, tool) => count + tool.packages.length, 0);
  return [
    c.bold(`AI catalog: ${catalog.tools.length} tools, ${packages} npm packages (reviewed ${catalog.reviewed})`),
    c.dim(render(head)),
    ...rows.map(render),
    '',
    c.dim('Answers are the defaults for the package as published; the audit changes them with evidence (base URLs, headers, .env, deployment files). `--json` prints modes, endpoints, env vars, headers, evidence and sources.'),
    '',
  ].join('\n');
}

function rowsOf(tool: CatalogTool): string[][] {
  const answers = (role: string) => {
    const pkg = tool.packages.find((item) => item.name === role);
    const defaults = pkg?.defaults ?? tool.defaults;
    return [defaults.requestPath, defaults.handlesKeys, defaults.sendsPrompts, defaults.singlePointOfFailure === null ? 'unknown' : defaults.singlePointOfFailure ? 'yes' : 'no'];
  };
  const modes = String(tool.modes.length);
  if (tool.packages.length === 0) {
    const where = [tool.images[0], ...tool.pythonPackages.map((name) => `${name} (PyPI)`)].filter(Boolean).join(', ') || '(hosted endpoint)';
    return [[tool.name, where, tool.role, tool.tier, ...answers(''), modes]];
  }
  return tool.packages.map((pkg) => [tool.name, pkg.versions ? `${pkg.name} ${pkg.versions}` : pkg.name, pkg.role ?? tool.role, tool.tier, ...answers(pkg.name), modes]);
}
