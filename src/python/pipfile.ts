import type { PythonFileProblem, PythonRequirement } from './model.js';
import { normalizeName } from './names.js';
import { exactVersionOf } from './requirement.js';
import { LineFinder, parseToml, record, strings } from './toml.js';

export interface ParsedPipfile {
  requirements: PythonRequirement[];
  /** `[[source]]` URLs in order (the first is the index pipenv installs from). */
  sources: Array<{ name: string; url: string }>;
  problems: PythonFileProblem[];
}

/** Pipenv's Pipfile: `[packages]` and `[dev-packages]`, values `"*"`, `"==1.2"` or `{ version = "...", extras = [...] }`. */
export function parsePipfile(file: string, text: string): ParsedPipfile {
  const parsed = parseToml(file, text);
  if (!parsed.ok) return { requirements: [], sources: [], problems: [parsed.problem] };
  const lines = new LineFinder(text);
  const requirements: PythonRequirement[] = [];
  for (const section of ['packages', 'dev-packages']) {
    for (const [name, value] of Object.entries(record(parsed.doc[section]))) {
      const table = record(value);
      const version = typeof value === 'string' ? value : typeof table.version === 'string' ? table.version : '';
      const specifier = version.trim() === '*' ? '' : version.trim();
      const extras = strings(table.extras).map((extra) => extra.toLowerCase());
      requirements.push({ name, normalized: normalizeName(name), extras, specifier, marker: null, exactVersion: exactVersionOf(specifier), hashes: [], file, line: lines.key(name), source: 'pipfile' });
    }
  }
  const sources = (Array.isArray(parsed.doc.source) ? parsed.doc.source : [])
    .map((entry) => record(entry))
    .flatMap((entry) => (typeof entry.url === 'string' ? [{ name: typeof entry.name === 'string' ? entry.name : '', url: entry.url }] : []));
  return { requirements, sources, problems: [] };
}
