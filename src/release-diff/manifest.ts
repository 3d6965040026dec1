import { posix } from 'node:path';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

export interface ManifestView {
  installScripts: Record<string, string>;
  /** Files the install scripts run (`node scripts/setup.js`). */
  installFiles: Set<string>;
  /** Files that run when the package is imported or its binaries start: `main`, `module`, `browser`, `exports`, `bin`. */
  entryFiles: Set<string>;
}

/** What a package's `package.json` says runs at install and at import; a manifest that is not JSON gives empty sets. */
export function readManifest(text: string | undefined, files: ReadonlyMap<string, string>): ManifestView {
  const view: ManifestView = { installScripts: {}, installFiles: new Set(), entryFiles: new Set() };
  let manifest: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text ?? '') as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return view;
    manifest = parsed as Record<string, unknown>;
  } catch {
    return view;
  }
  const scripts = isRecord(manifest.scripts) ? manifest.scripts : {};
  for (const name of INSTALL_SCRIPTS) {
    const command = scripts[name];
    if (typeof command !== 'string') continue;
    view.installScripts[name] = command;
    for (const target of filesRunBy(command)) addResolved(view.installFiles, target, files);
  }
  if (scripts.install === undefined && files.has('binding.gyp')) view.installScripts.install = 'node-gyp rebuild';
  const entries = [manifest.main ?? 'index.js', manifest.module, typeof manifest.browser === 'string' ? manifest.browser : undefined, manifest.bin, manifest.exports];
  for (const entry of entries.flatMap(stringsIn)) addResolved(view.entryFiles, entry, files);
  return view;
}

/** Script paths a shell command hands to node (or runs directly): `node ./x.js`, `node --flag x`, `./install.js`. */
export function filesRunBy(command: string): string[] {
  const targets: string[] = [];
  for (const part of command.split(/&&|\|\||[;|]/)) {
    const words = part.trim().split(/\s+/);
    const runner = words[0] ?? '';
    if (/^(?:node|nodejs|bun|tsx|ts-node)$/.test(runner)) {
      const script = words.slice(1).find((word) => !word.startsWith('-'));
      if (script) targets.push(script);
    } else if (/\.[cm]?[jt]s$/.test(runner)) {
      targets.push(runner);
    }
  }
  return targets;
}

function addResolved(into: Set<string>, target: string, files: ReadonlyMap<string, string>): void {
  const path = posix.normalize(target.replace(/^["']|["']$/g, '')).replace(/^\.\//, '');
  if (path.startsWith('..')) return;
  const candidates = [path, `${path}.js`, `${path}.cjs`, `${path}.mjs`, `${path}/index.js`];
  const found = candidates.find((candidate) => files.has(candidate));
  into.add(found ?? path);
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
