import { readFileSync } from 'node:fs';

/** The running tool's own name and version, from the package.json shipped beside dist/. */
export const TOOL: { name: string; version: string } = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
})();

/** The tool's home page (package.json `homepage`), for SARIF tool metadata; null when unset. */
export const TOOL_HOMEPAGE: string | null = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { homepage?: unknown };
  return typeof pkg.homepage === 'string' && /^https:\/\//.test(pkg.homepage) ? pkg.homepage : null;
})();
