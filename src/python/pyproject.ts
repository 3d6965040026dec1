import type { PythonFileProblem, PythonRequirement } from './model.js';
import { normalizeName } from './names.js';
import { exactVersionOf, parseRequirement } from './requirement.js';
import { LineFinder, parseToml, record, strings } from './toml.js';

export interface ParsedPyproject {
  requirements: PythonRequirement[];
  /** The parsed document, for index configuration and uv workspaces; null when it is not TOML. */
  doc: Record<string, unknown> | null;
  problems: PythonFileProblem[];
}

/** PEP 621 dependencies and optional dependencies, PEP 735 groups, uv and pdm dev dependencies, Poetry's tables. */
export function parsePyproject(file: string, text: string): ParsedPyproject {
  const parsed = parseToml(file, text);
  if (!parsed.ok) return { requirements: [], doc: null, problems: [parsed.problem] };
  const { doc } = parsed;
  const lines = new LineFinder(text);
  const requirements: PythonRequirement[] = [];
  const problems: PythonFileProblem[] = [];
  const pep508 = (raw: string): void => {
    const line = lines.quoted(raw);
    const requirement = parseRequirement(raw);
    if (requirement) requirements.push({ ...requirement, hashes: [], file, line, source: 'pyproject' });
    else problems.push({ file, line, message: `${file}:${line}: "${raw}" is not a PEP 508 requirement` });
  };
  const project = record(doc.project);
  strings(project.dependencies).forEach(pep508);
  for (const group of Object.values(record(project['optional-dependencies']))) strings(group).forEach(pep508);
  for (const group of Object.values(record(doc['dependency-groups']))) strings(group).forEach(pep508);
  const tool = record(doc.tool);
  strings(record(tool.uv)['dev-dependencies']).forEach(pep508);
  for (const group of Object.values(record(record(tool.pdm)['dev-dependencies']))) strings(group).forEach(pep508);
  const poetry = record(tool.poetry);
  const poetryTables = [record(poetry.dependencies), record(poetry['dev-dependencies']), ...Object.values(record(poetry.group)).map((group) => record(record(group).dependencies))];
  for (const table of poetryTables) {
    for (const [name, value] of Object.entries(table)) {
      if (name.toLowerCase() === 'python') continue;
      requirements.push(...poetryRequirement(file, lines.key(name), name, value));
    }
  }
  return { requirements, doc, problems };
}

/** Poetry's `name = "^1.2"`, `{ version = "1.2", extras = [...] }` or a list of such tables. */
export function poetryRequirement(file: string, line: number, name: string, value: unknown): PythonRequirement[] {
  const entries = Array.isArray(value) ? value : [value];
  return entries.flatMap((entry): PythonRequirement[] => {
    const table = record(entry);
    const version = typeof entry === 'string' ? entry : typeof table.version === 'string' ? table.version : '';
    const extras = strings(table.extras).map((extra) => extra.toLowerCase());
    const specifier = poetryToPep440(version);
    return [{ name, normalized: normalizeName(name), extras, specifier, marker: null, exactVersion: exactVersionOf(specifier), hashes: [], file, line, source: 'pyproject' }];
  });
}

/** Poetry's bare `1.2.3` is exact; `^`, `~`, `*` and comparisons are ranges, kept as written. */
export function poetryToPep440(version: string): string {
  const trimmed = version.trim();
  if (/^[0-9][\w.+!-]*$/.test(trimmed)) return `==${trimmed}`;
  return trimmed === '*' ? '' : trimmed;
}
