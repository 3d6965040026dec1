import { readFileSync } from 'node:fs';

/** The running tool's own name and version, from the package.json shipped beside dist/. */
export const TOOL: { name: string; version: string } = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
})();
