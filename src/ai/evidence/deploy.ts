import type * as SmolToml from 'smol-toml';
import type * as Yaml from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { CatalogIndex } from '../catalog.js';
import { scanDockerfileEnv, scanYamlEnv } from './config-env.js';
import type { ImageRef, Signal } from './types.js';
import { baseName, lineAt, readBounded } from '../../util/project-files.js';
import { lazyRequire } from '../../util/lazy-require.js';
import { pythonFileProblem } from './deploy-problems.js';

// parsers for files most projects do not have: loaded on first use
const yaml = lazyRequire<typeof Yaml>('yaml');
const toml = lazyRequire<typeof SmolToml>('smol-toml');

const MAX_DEPLOY_BYTES = 1_000_000;
/** Aliases followed per YAML document: anchors are resolved (`image: *litellm`), a billion-laughs file is not. */
const MAX_ALIASES = 1_000;

type Kind = 'yaml' | 'dockerfile' | 'requirements' | 'pyproject' | 'pylock';

export function deployFileKind(file: string): Kind | null {
  const name = baseName(file).toLowerCase();
  // the lockfile the inventory reads names no image and no Python package (and is often over the size read here)
  if (name === 'pnpm-lock.yaml') return null;
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name === 'dockerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile') || name === 'containerfile') return 'dockerfile';
  if (/^(requirements|constraints)[\w.-]*\.(txt|in)$/.test(name) || (file.includes('requirements/') && name.endsWith('.txt'))) return 'requirements';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'uv.lock' || name === 'poetry.lock') return 'pylock';
  return null;
}

/** Gateway containers and Python gateway packages named by deployment and Python dependency files. */
export async function scanDeployFiles(root: string, files: string[], catalog: CatalogIndex, notices: string[] = []): Promise<Signal[]> {
  const signals: Signal[] = [];
  for (const file of files) {
    const kind = deployFileKind(file);
    if (!kind) continue;
    const text = await readBounded(root, file, MAX_DEPLOY_BYTES);
    if (text === null) {
      notices.push(`AI analysis: ${file} could not be read (unreadable, or over ${MAX_DEPLOY_BYTES} bytes); the images and Python packages it names were not checked.`);
      continue;
    }
    const problem = pythonFileProblem(file, kind, text);
    if (problem) notices.push(`AI analysis: ${problem}.`);
    signals.push(...scanDeployText(file, kind, text, catalog));
  }
  return signals;
}

export function scanDeployText(file: string, kind: Kind, text: string, catalog: CatalogIndex): Signal[] {
  switch (kind) {
    case 'yaml':
      return [...scanYaml(file, text, catalog), ...(/(^|\/)pnpm-lock\.yaml$/.test(file) ? [] : scanYamlEnv(file, text))];
    case 'dockerfile':
      return [...scanDockerfile(file, text, catalog), ...scanDockerfileEnv(file, text)];
    case 'requirements':
      return scanRequirements(file, text, catalog);
    case 'pyproject':
      return scanPyproject(file, text, catalog);
    case 'pylock':
      return scanPythonLock(file, text, catalog);
  }
}

/** `ghcr.io/berriai/litellm:main-latest@sha256:…` → repository, tag, digest. `${VAR:-x}` takes its default. */
export function parseImageRef(raw: string): ImageRef {
  const text = raw.trim().replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, '$1');
  const at = text.indexOf('@');
  const digest = at === -1 ? null : text.slice(at + 1) || null;
  const withoutDigest = at === -1 ? text : text.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const tag = hasTag ? withoutDigest.slice(colon + 1) : null;
  const repository = (hasTag ? withoutDigest.slice(0, colon) : withoutDigest).toLowerCase();
  return { raw: raw.trim(), repository, tag: tag && !tag.includes('${') ? tag : null, digest };
}

function imageSignal(file: string, line: number, raw: string, service: string | null, catalog: CatalogIndex): Signal | null {
  const image = parseImageRef(raw);
  const tool = catalog.toolByImage(image.repository);
  if (!tool) return null;
  const detail = `${service ? `service ${service} runs ` : ''}${tool.name} image ${image.raw}`;
  return { kind: 'deploy', fact: { type: 'image', image, service }, detail, file, line };
}

function scanYaml(file: string, text: string, catalog: CatalogIndex): Signal[] {
  const { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  let documents;
  try {
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  } catch {
    return [];
  }
  const signals: Signal[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    if (document.errors.length > 0 || !document.contents) continue;
    const docName = document.getIn(['metadata', 'name']);
    let aliases = 0;
    const resolved = (node: unknown): unknown => {
      if (!isAlias(node)) return node;
      return ++aliases > MAX_ALIASES ? undefined : node.resolve(document);
    };
    const visit = (node: unknown, path: string[]): void => {
      if (isAlias(node)) return void visit(resolved(node), path);
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          const value = resolved(pair.value);
          if (key === 'image' && isScalar(value) && typeof value.value === 'string') {
            const offset = (pair.value as YamlNode).range?.[0] ?? 0;
            const service = path[0] === 'services' && path[1] ? path[1] : typeof docName === 'string' ? docName : null;
            const signal = imageSignal(file, lineCounter.linePos(offset).line, value.value, service, catalog);
            if (signal) signals.push(signal);
          } else {
            // `<<: *defaults` merges the anchored keys into this mapping
            visit(value, key === '<<' ? path : [...path, key]);
          }
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => visit(item, [...path, String(index)]));
      }
    };
    visit(document.contents, []);
  }
  return signals;
}

function scanDockerfile(file: string, text: string, catalog: CatalogIndex): Signal[] {
  const signals: Signal[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(raw);
    if (from?.[1]) {
      const signal = imageSignal(file, index + 1, from[1], null, catalog);
      if (signal) signals.push(signal);
    }
    const pip = /\b(?:pip3?|uv pip|python3? -m pip)\s+install\s+(.+)$/i.exec(raw);
    if (pip?.[1]) {
      for (const word of pip[1].split(/\s+/)) {
        if (!word || word.startsWith('-')) continue;
        const signal = requirementSignal(file, index + 1, word.replace(/^['"]|['"]$/g, ''), catalog);
        if (signal) signals.push(signal);
      }
    }
  });
  return signals;
}

function scanRequirements(file: string, text: string, catalog: CatalogIndex): Signal[] {
  const signals: Signal[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s+#.*$/, '').replace(/\s*\\$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith('-')) return;
    const signal = requirementSignal(file, index + 1, line.split(/\s+--hash/)[0] ?? line, catalog);
    if (signal) signals.push(signal);
  });
  return signals;
}

/** A PEP 508 requirement: `litellm[proxy]==1.82.6 ; python_version>"3.9"`. */
export function parseRequirement(text: string): { name: string; spec: string; pinnedVersion: string | null } | null {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)/.exec(text.trim());
  if (!match?.[1]) return null;
  const spec = (match[3] ?? '').trim();
  const exact = /^===?\s*([0-9][^,\s*]*)$/.exec(spec);
  return { name: match[1], spec: `${match[2] ?? ''}${spec}`, pinnedVersion: exact?.[1] ?? null };
}

function requirementSignal(file: string, line: number, text: string, catalog: CatalogIndex): Signal | null {
  const requirement = parseRequirement(text);
  if (!requirement) return null;
  const tool = catalog.toolByPython(requirement.name);
  if (!tool) return null;
  const { name, spec, pinnedVersion } = requirement;
  const detail = `${file} requires ${name}${spec ? ` ${spec}` : ' (no version)'} (${tool.name})`;
  return { kind: 'deploy', fact: { type: 'python', name, spec, pinnedVersion, locked: false }, detail, file, line };
}

function scanPyproject(file: string, text: string, catalog: CatalogIndex): Signal[] {
  let doc: Record<string, unknown>;
  try {
    doc = toml().parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const requirements: string[] = [];
  const project = record(doc.project);
  requirements.push(...strings(project.dependencies));
  for (const group of Object.values(record(project['optional-dependencies']))) requirements.push(...strings(group));
  for (const group of Object.values(record(doc['dependency-groups']))) requirements.push(...strings(group));
  const poetry = record(record(doc.tool).poetry);
  const poetryTables = [record(poetry.dependencies), ...Object.values(record(poetry.group)).map((group) => record(record(group).dependencies))];
  for (const table of poetryTables) {
    for (const [name, value] of Object.entries(table)) {
      const version = typeof value === 'string' ? value : typeof record(value).version === 'string' ? (record(value).version as string) : '';
      requirements.push(`${name}${poetryToPep440(version)}`);
    }
  }
  const signals: Signal[] = [];
  for (const requirement of requirements) {
    const name = parseRequirement(requirement)?.name ?? '';
    const offset = Math.max(0, text.search(new RegExp(`["']?${escapeRegExp(name)}\\b`, 'i')));
    const signal = requirementSignal(file, lineAt(text, offset), requirement, catalog);
    if (signal) signals.push(signal);
  }
  return signals;
}

/** Poetry's bare `1.2.3` is exact; `^`, `~`, `*` and comparisons are ranges. */
function poetryToPep440(version: string): string {
  const trimmed = version.trim();
  if (/^[0-9][\w.+-]*$/.test(trimmed)) return `==${trimmed}`;
  return trimmed === '*' ? '' : trimmed;
}

function scanPythonLock(file: string, text: string, catalog: CatalogIndex): Signal[] {
  let doc: Record<string, unknown>;
  try {
    doc = toml().parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const signals: Signal[] = [];
  const packages = Array.isArray(doc.package) ? doc.package : [];
  for (const entry of packages) {
    const { name, version } = record(entry);
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    const tool = catalog.toolByPython(name);
    if (!tool) continue;
    const offset = Math.max(0, text.search(new RegExp(`name = "${escapeRegExp(name)}"`)));
    const detail = `${file} locks ${name} ${version} (${tool.name})`;
    signals.push({ kind: 'deploy', fact: { type: 'python', name, spec: `==${version}`, pinnedVersion: version, locked: true }, detail, file, line: lineAt(text, offset) });
  }
  return signals;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
