import type { CatalogIndex, CatalogTool } from '../ai/catalog.js';
import { findProxyCommands, parseDockerfile, type ProxyCommand } from './dockerfile.js';
import { parsePythonLock } from './locks.js';
import type { LockedPythonPackage, ParsedLock, PinSource, PythonFileProblem, PythonPin, PythonRequirement } from './model.js';
import { sameVersion } from './names.js';
import { parsePipfile } from './pipfile.js';
import { ancestors, baseName, dirName, joinPath, lockFormatOf, pythonFileKind, resolveInside } from './project-files.js';
import { parsePyproject } from './pyproject.js';
import { parseRequirementsFile, type ParsedRequirementsFile } from './requirements-file.js';
import { record, strings } from './toml.js';

export interface PythonProjectInput {
  /** Project-relative paths with `/` separators. */
  files: string[];
  /** Reads a project-relative file; null when it is absent or unreadable. */
  readFile(file: string): Promise<string | null>;
  catalog: CatalogIndex;
}

/** Index options written into the files that install: a requirements file's `-i`, a Dockerfile's `ENV PIP_INDEX_URL`. */
export interface FileIndexOptions {
  indexUrl: string | null;
  extraIndexUrls: string[];
  noIndex: boolean;
  env: Record<string, string>;
}

export interface PythonProject {
  pins: PythonPin[];
  /** Every lockfile read, by path. */
  locks: Map<string, ParsedLock>;
  /** pyproject.toml documents by path (index configuration, uv workspaces). */
  pyprojects: Map<string, Record<string, unknown>>;
  /** uv.toml texts by path. */
  uvTomls: Map<string, string>;
  /** Pipfile `[[source]]` lists by path. */
  pipfileSources: Map<string, Array<{ name: string; url: string }>>;
  fileIndexOptions: Map<string, FileIndexOptions>;
  proxyCommands: ProxyCommand[];
  problems: PythonFileProblem[];
}

const MAX_INCLUDE_DEPTH = 10;

/** Every AI package the project's Python files require, each at its own file:line, with what pins it. */
export async function readPythonProject(input: PythonProjectInput): Promise<PythonProject> {
  const project: PythonProject = { pins: [], locks: new Map(), pyprojects: new Map(), uvTomls: new Map(), pipfileSources: new Map(), fileIndexOptions: new Map(), proxyCommands: [], problems: [] };
  const requirements: PythonRequirement[] = [];
  const constraintsOf = new Map<string, Set<string>>();
  const requirementFiles = new Map<string, ParsedRequirementsFile>();
  const fileSet = new Set(input.files);

  const readRequirements = async (file: string, depth: number): Promise<ParsedRequirementsFile | null> => {
    const known = requirementFiles.get(file);
    if (known || depth > MAX_INCLUDE_DEPTH) return known ?? null;
    const text = await input.readFile(file);
    if (text === null) return null;
    const parsed = parseRequirementsFile(file, text);
    requirementFiles.set(file, parsed);
    const constraints = new Set<string>();
    constraintsOf.set(file, constraints);
    for (const include of parsed.includes) {
      const target = resolveInside(dirName(file), include.path);
      const included = target === null ? null : await readRequirements(target, depth + 1);
      if (!included || target === null) {
        project.problems.push({ file, line: include.line, message: `${file}:${include.line}: ${include.kind === 'constraints' ? '-c' : '-r'} ${include.path} cannot be read${target === null ? ' (outside the project)' : ''}` });
        continue;
      }
      if (include.kind === 'constraints') constraints.add(target);
      for (const nested of constraintsOf.get(target) ?? []) constraints.add(nested);
    }
    return parsed;
  };

  for (const file of input.files) {
    const kind = pythonFileKind(file);
    if (kind === 'requirements') await readRequirements(file, 0);
    if (kind === null || kind === 'requirements') continue;
    const text = await input.readFile(file);
    if (text === null) continue;
    switch (kind) {
      case 'pyproject': {
        const parsed = parsePyproject(file, text);
        requirements.push(...parsed.requirements);
        project.problems.push(...parsed.problems);
        if (parsed.doc) project.pyprojects.set(file, parsed.doc);
        break;
      }
      case 'pipfile': {
        const parsed = parsePipfile(file, text);
        requirements.push(...parsed.requirements);
        project.problems.push(...parsed.problems);
        project.pipfileSources.set(file, parsed.sources);
        break;
      }
      case 'lock': {
        const format = lockFormatOf(file);
        if (!format) break;
        const parsed = parsePythonLock(file, format, text);
        project.locks.set(file, parsed);
        project.problems.push(...parsed.problems);
        break;
      }
      case 'dockerfile': {
        const parsed = parseDockerfile(file, text);
        requirements.push(...parsed.requirements);
        project.problems.push(...parsed.problems);
        project.fileIndexOptions.set(file, { indexUrl: parsed.indexUrl, extraIndexUrls: parsed.extraIndexUrls, noIndex: false, env: parsed.env });
        project.proxyCommands.push(...findProxyCommands(file, text));
        break;
      }
      case 'yaml':
        project.proxyCommands.push(...findProxyCommands(file, text));
        break;
      case 'uv-toml':
        project.uvTomls.set(file, text);
        break;
    }
  }
  // a constraints file only limits versions: it installs nothing of its own
  const constraintFiles = new Set([...constraintsOf.values()].flatMap((set) => [...set]));
  for (const [file, parsed] of requirementFiles) {
    if (!constraintFiles.has(file) && !/^constraints/i.test(baseName(file))) requirements.push(...parsed.requirements);
    project.problems.push(...parsed.problems);
    project.fileIndexOptions.set(file, { indexUrl: parsed.indexUrl, extraIndexUrls: parsed.extraIndexUrls, noIndex: parsed.noIndex, env: {} });
  }

  const seen = new Set<string>();
  for (const requirement of requirements) {
    const key = `${requirement.file}:${requirement.line}:${requirement.normalized}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const tool = input.catalog.toolByPython(requirement.normalized);
    if (!tool) continue;
    const lock = lockFor(requirement, project, fileSet) ?? compiledFor(requirement, requirementFiles);
    const constraint = lock ? null : constraintFor(requirement, constraintsOf, requirementFiles);
    project.pins.push(pinOf(requirement, tool, lock, constraint, project.proxyCommands, project.problems));
  }
  return project;
}

interface LockHit {
  entry: LockedPythonPackage;
}

/**
 * pyproject.toml is locked by uv.lock, poetry.lock or pdm.lock beside it, or by the uv.lock of the
 * uv workspace it is a member of; a Pipfile by Pipfile.lock beside it; a `requirements.in` by the
 * `requirements.txt` pip-compile wrote beside it. A requirements file is not locked by a lock beside it:
 * `pip install -r` never reads one.
 */
function lockFor(requirement: PythonRequirement, project: PythonProject, files: Set<string>): LockHit | null {
  const dir = dirName(requirement.file);
  const candidates: string[] = [];
  if (requirement.source === 'pyproject') {
    candidates.push(...['uv.lock', 'poetry.lock', 'pdm.lock'].map((name) => joinPath(dir, name)));
    const workspace = uvWorkspaceRoot(dir, project);
    if (workspace !== null) candidates.push(joinPath(workspace, 'uv.lock'));
  } else if (requirement.source === 'pipfile') {
    candidates.push(joinPath(dir, 'Pipfile.lock'));
  }
  for (const candidate of candidates) {
    if (!files.has(candidate)) continue;
    const lock = project.locks.get(candidate);
    if (!lock) continue;
    const entry = lock.packages.find((item) => item.normalized === requirement.normalized);
    if (entry) return { entry };
    if (lock.problems.length === 0) {
      project.problems.push({ file: requirement.file, line: requirement.line, message: `${candidate} does not lock ${requirement.name} required at ${requirement.file}:${requirement.line}: the lock is out of date` });
    }
  }
  return null;
}

/** `requirements.in` is locked by the `requirements.txt` pip-compile (or `uv pip compile`) wrote beside it. */
function compiledFor(requirement: PythonRequirement, files: Map<string, ParsedRequirementsFile>): LockHit | null {
  if (requirement.source !== 'requirements' || !requirement.file.endsWith('.in')) return null;
  const compiled = requirement.file.replace(/\.in$/, '.txt');
  const pinned = files.get(compiled)?.requirements.find((item) => item.normalized === requirement.normalized && item.exactVersion);
  if (!pinned?.exactVersion) return null;
  return {
    entry: {
      name: pinned.name,
      normalized: pinned.normalized,
      version: pinned.exactVersion,
      file: pinned.file,
      line: pinned.line,
      format: 'requirements',
      index: null,
      files: pinned.hashes.map((sha256) => ({ filename: null, sha256 })),
    },
  };
}

/** The nearest folder above `dir` whose pyproject.toml declares a uv workspace that has `dir` as a member. */
function uvWorkspaceRoot(dir: string, project: PythonProject): string | null {
  for (const candidate of ancestors(dir).slice(1)) {
    const doc = project.pyprojects.get(joinPath(candidate, 'pyproject.toml'));
    const workspace = record(record(record(doc?.tool).uv).workspace);
    if (!doc || Object.keys(workspace).length === 0 && !('workspace' in record(record(doc.tool).uv))) continue;
    const relative = candidate ? dir.slice(candidate.length + 1) : dir;
    const members = strings(workspace.members);
    const excluded = strings(workspace.exclude);
    if (members.some((pattern) => globMatch(pattern, relative)) && !excluded.some((pattern) => globMatch(pattern, relative))) return candidate;
  }
  return null;
}

function globMatch(pattern: string, path: string): boolean {
  const source = pattern
    .replace(/\/+$/, '')
    .split('/')
    .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
    .join('/');
  return new RegExp(`^${source}$`).test(path);
}

/** An `==` pin for the requirement in a `-c` constraints file its requirements file reads. */
function constraintFor(requirement: PythonRequirement, constraintsOf: Map<string, Set<string>>, files: Map<string, ParsedRequirementsFile>): { requirement: PythonRequirement } | null {
  if (requirement.source !== 'requirements') return null;
  for (const file of constraintsOf.get(requirement.file) ?? []) {
    const pinned = files.get(file)?.requirements.find((item) => item.normalized === requirement.normalized && item.exactVersion);
    if (pinned) return { requirement: pinned };
  }
  return null;
}

function pinOf(
  requirement: PythonRequirement,
  tool: CatalogTool,
  lock: LockHit | null,
  constraint: { requirement: PythonRequirement } | null,
  commands: ProxyCommand[],
  problems: PythonFileProblem[],
): PythonPin {
  const { role, roleEvidence } = roleOf(requirement, tool, commands);
  const base = { requirement, tool: tool.name, tier: tool.tier, role, roleEvidence, lockIndex: null as string | null, lockedFiles: [] as string[] };
  if (lock) {
    const { entry } = lock;
    if (requirement.exactVersion && !sameVersion(requirement.exactVersion, entry.version)) {
      problems.push({ file: requirement.file, line: requirement.line, message: `${requirement.file}:${requirement.line} pins ${requirement.name}==${requirement.exactVersion} but ${entry.file}:${entry.line} locks ${entry.version}: the lock is out of date` });
    }
    const pinnedBy: PinSource = { file: entry.file, line: entry.line, format: entry.format };
    return {
      ...base,
      pinning: 'locked',
      version: entry.version,
      range: null,
      pinnedBy,
      hashes: entry.files.flatMap((item) => (item.sha256 ? [item.sha256] : [])),
      lockedFiles: entry.files.flatMap((item) => (item.filename ? [item.filename] : [])),
      lockIndex: entry.index,
    };
  }
  if (requirement.exactVersion) {
    return { ...base, pinning: requirement.hashes.length > 0 ? 'hashed' : 'exact', version: requirement.exactVersion, range: null, pinnedBy: null, hashes: requirement.hashes };
  }
  if (constraint?.requirement.exactVersion) {
    const pinned = constraint.requirement;
    return { ...base, pinning: 'constrained', version: pinned.exactVersion, range: null, pinnedBy: { file: pinned.file, line: pinned.line, format: 'constraints' }, hashes: pinned.hashes };
  }
  return { ...base, pinning: 'range', version: null, range: requirement.specifier, pinnedBy: null, hashes: [] };
}

/**
 * A gateway server's Python package is the server only when the project runs it as one: the
 * `proxy` extra, or a command starting the proxy in a Dockerfile or manifest at or above the
 * requirement's folder. Imported as a library it routes calls in-process.
 */
function roleOf(requirement: PythonRequirement, tool: CatalogTool, commands: ProxyCommand[]): { role: PythonPin['role']; roleEvidence: string | null } {
  if (tool.role !== 'gateway-server') return { role: tool.role, roleEvidence: null };
  if (requirement.extras.includes('proxy')) return { role: 'gateway-server', roleEvidence: `${requirement.name}[proxy] installs the proxy server` };
  if (/(^|-)proxy(-|$)/.test(requirement.normalized)) return { role: 'gateway-server', roleEvidence: `${requirement.name} is part of the proxy server` };
  const dir = dirName(requirement.file);
  const command = commands.find((item) => {
    const at = dirName(item.file);
    return at === '' || dir === at || dir.startsWith(`${at}/`);
  });
  if (command) return { role: 'gateway-server', roleEvidence: `${command.file}:${command.line} starts the proxy server: ${command.text}` };
  return { role: 'framework', roleEvidence: `${baseName(requirement.file)} requires ${requirement.name} without the proxy extra and nothing starts the proxy: used as a library` };
}
