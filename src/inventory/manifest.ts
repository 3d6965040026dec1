import { readFile } from 'node:fs/promises';
import { assertInsideProject } from './inside-project.js';
import { join, relative } from 'node:path';
import { AuditError } from '../model/errors.js';
import { JsonKeyLines } from '../util/json-lines.js';
import type { DeclaredDependency, DependencyType } from './model.js';
import { projectsBelow, projectsBelowHint } from './projects-below.js';

export interface Manifest {
  /** Absolute path of the package.json. */
  path: string;
  /** Relative to the project root. */
  file: string;
  name: string | null;
  version: string | null;
  workspaces: string[];
  declared: Omit<DeclaredDependency, 'locked'>[];
  raw: Record<string, unknown>;
  /** The file's bytes as read (the inventory cache keys on them). */
  text: string;
}

const SECTIONS: Array<[string, DependencyType]> = [
  ['dependencies', 'prod'],
  ['devDependencies', 'dev'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];

export async function readManifest(dir: string, projectRoot: string): Promise<Manifest> {
  const path = join(dir, 'package.json');
  const file = relative(projectRoot, path) || 'package.json';
  await assertInsideProject(projectRoot, path, file, 'EMANIFEST_PARSE');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const hint = dir === projectRoot ? projectsBelowHint(await projectsBelow(dir)) : '';
      throw new AuditError('EMANIFEST_MISSING', `No package.json in ${dir}${hint}.`, { file: path });
    }
    throw new AuditError('EMANIFEST_PARSE', `Cannot read ${path}: ${code ?? 'unknown error'}.`, { file: path, cause: error });
  }
  return parseManifest(text, path, file);
}

export function parseManifest(text: string, path: string, file: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (error) {
    throw new AuditError('EMANIFEST_PARSE', `${path} is not valid JSON: ${(error as Error).message}.`, { file: path, cause: error });
  }
  if (!isPlainObject(raw)) throw new AuditError('EMANIFEST_PARSE', `${path} must hold a JSON object.`, { file: path });
  const lines = new JsonKeyLines(text, 2);
  const declared: Manifest['declared'] = [];
  for (const [section, type] of SECTIONS) {
    const deps = raw[section];
    if (deps === undefined) continue;
    if (!isPlainObject(deps)) throw new AuditError('EMANIFEST_PARSE', `${path}: "${section}" must be an object.`, { file: path });
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec !== 'string') {
        throw new AuditError('EMANIFEST_PARSE', `${path}: ${section}.${name} must be a string.`, { file: path });
      }
      // npm installs an optional dependency instead of the same-named regular one
      if (type === 'prod' && isPlainObject(raw.optionalDependencies) && name in raw.optionalDependencies) continue;
      declared.push({ name, spec, type, file, line: lines.line(section, name) });
    }
  }
  return {
    path,
    file,
    name: typeof raw.name === 'string' ? raw.name : null,
    version: typeof raw.version === 'string' ? raw.version : null,
    workspaces: workspacePatterns(raw.workspaces),
    declared,
    raw,
    text,
  };
}

function workspacePatterns(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (isPlainObject(value) && Array.isArray(value.packages)) {
    return value.packages.filter((item): item is string => typeof item === 'string');
  }
  return [];
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
