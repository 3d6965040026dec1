import type { LockedFile, LockedPythonPackage, ParsedLock, PythonFileProblem, PythonLockFormat } from './model.js';
import { normalizeName } from './names.js';
import { LineFinder, escapeRegExp, parseToml, record, stringOr } from './toml.js';

export const PYTHON_LOCK_NAMES: Record<string, PythonLockFormat> = {
  'uv.lock': 'uv.lock',
  'poetry.lock': 'poetry.lock',
  'pipfile.lock': 'Pipfile.lock',
  'pdm.lock': 'pdm.lock',
};

/** Parses any supported Python lockfile; every entry it cannot read is a problem naming file and line. */
export function parsePythonLock(file: string, format: PythonLockFormat, text: string): ParsedLock {
  switch (format) {
    case 'uv.lock':
      return parseTomlLock(file, format, text, uvEntry);
    case 'poetry.lock':
      return parseTomlLock(file, format, text, poetryEntry);
    case 'pdm.lock':
      return parseTomlLock(file, format, text, pdmEntry);
    case 'Pipfile.lock':
      return parsePipfileLock(file, text);
    case 'requirements':
      return { packages: [], problems: [{ file, line: null, message: `${file}: a requirements file is not read as a lockfile` }] };
  }
}

type EntryReader = (entry: Record<string, unknown>, doc: Record<string, unknown>) => { index: string | null; files: LockedFile[] };

function parseTomlLock(file: string, format: PythonLockFormat, text: string, read: EntryReader): ParsedLock {
  const parsed = parseToml(file, text);
  if (!parsed.ok) return { packages: [], problems: [parsed.problem] };
  const problems: PythonFileProblem[] = [];
  const packages: LockedPythonPackage[] = [];
  const lines = new LineFinder(text);
  const entries = parsed.doc.package;
  if (entries !== undefined && !Array.isArray(entries)) {
    return { packages, problems: [{ file, line: null, message: `${file}: [[package]] is not an array of tables` }] };
  }
  for (const [index, raw] of (entries ?? []).entries()) {
    const entry = record(raw);
    const { name, version } = entry;
    const line = typeof name === 'string' ? lines.find((text) => new RegExp(`^\\s*name\\s*=\\s*["']${escapeRegExp(name)}["']`).test(text)) : lines.find((text) => /^\s*\[\[package\]\]/.test(text));
    if (typeof name !== 'string' || typeof version !== 'string' || !name || !version) {
      // uv's workspace members and path/git sources may have no version: they come from no index
      if (typeof name === 'string' && format === 'uv.lock' && isLocalUvSource(entry)) continue;
      problems.push({ file, line, message: `${file}:${line}: package entry ${index + 1} has no ${typeof name !== 'string' || !name ? 'name' : 'version'}` });
      continue;
    }
    const { index: source, files } = read(entry, parsed.doc);
    packages.push({ name, normalized: normalizeName(name), version, file, line, format, index: source, files });
  }
  return { packages, problems };
}

function isLocalUvSource(entry: Record<string, unknown>): boolean {
  const source = record(entry.source);
  return ['editable', 'virtual', 'path', 'directory', 'git', 'url'].some((key) => key in source);
}

const uvEntry: EntryReader = (entry) => {
  const source = record(entry.source);
  const files = [record(entry.sdist), ...(Array.isArray(entry.wheels) ? entry.wheels.map(record) : [])]
    .filter((item) => Object.keys(item).length > 0)
    .map((item) => ({ filename: filenameOf(stringOr(item.url) ?? stringOr(item.path)), sha256: sha256Of(item.hash) }));
  return { index: stringOr(source.registry), files };
};

const poetryEntry: EntryReader = (entry, doc) => {
  const source = record(entry.source);
  const legacy = record(record(record(doc.metadata).files))[String(entry.name)];
  const listed = Array.isArray(entry.files) ? entry.files : Array.isArray(legacy) ? legacy : [];
  const files = listed.map(record).map((item) => ({ filename: stringOr(item.file), sha256: sha256Of(item.hash) }));
  const index = ['legacy', 'simple'].includes(String(source.type)) ? stringOr(source.url) : null;
  return { index, files };
};

const pdmEntry: EntryReader = (entry) => {
  const listed = Array.isArray(entry.files) ? entry.files : [];
  const files = listed.map(record).map((item) => ({ filename: stringOr(item.file) ?? filenameOf(stringOr(item.url)), sha256: sha256Of(item.hash) }));
  return { index: null, files };
};

function parsePipfileLock(file: string, text: string): ParsedLock {
  let doc: Record<string, unknown>;
  try {
    doc = record(JSON.parse(text));
  } catch (error) {
    return { packages: [], problems: [{ file, line: null, message: `${file} cannot be parsed as JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const sources = (Array.isArray(record(doc._meta).sources) ? (record(doc._meta).sources as unknown[]) : []).map(record);
  const lines = new LineFinder(text);
  const packages: LockedPythonPackage[] = [];
  const problems: PythonFileProblem[] = [];
  for (const section of ['default', 'develop']) {
    for (const [name, raw] of Object.entries(record(doc[section]))) {
      const entry = record(raw);
      const line = lines.find((text) => text.includes(`"${name}"`));
      const version = typeof entry.version === 'string' ? entry.version.replace(/^===?/, '') : null;
      if (!version) {
        // git, path and file entries carry no version: not from an index
        if (!('git' in entry || 'path' in entry || 'file' in entry)) problems.push({ file, line, message: `${file}:${line}: ${name} has no version` });
        continue;
      }
      const index = sources.find((source) => source.name === entry.index);
      const hashes = Array.isArray(entry.hashes) ? entry.hashes : [];
      packages.push({
        name,
        normalized: normalizeName(name),
        version,
        file,
        line,
        format: 'Pipfile.lock',
        index: stringOr(index?.url),
        files: hashes.map((hash) => ({ filename: null, sha256: sha256Of(hash) })),
      });
    }
  }
  return { packages, problems };
}

function filenameOf(url: string | null): string | null {
  if (!url) return null;
  const path = url.split(/[?#]/)[0] ?? '';
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || null;
  } catch {
    return null;
  }
}

function sha256Of(hash: unknown): string | null {
  return typeof hash === 'string' && /^sha256:[0-9a-f]{64}$/i.test(hash) ? hash.toLowerCase() : null;
}
