import type { PythonLockFormat } from './model.js';

export type PythonFileKind = 'requirements' | 'pyproject' | 'pipfile' | 'lock' | 'dockerfile' | 'yaml' | 'uv-toml';

/** What a project file is to the Python stage, by its name; null for files it does not read. */
export function pythonFileKind(file: string): PythonFileKind | null {
  const name = baseName(file).toLowerCase();
  if (/^(requirements|constraints)[\w.-]*\.(txt|in)$/.test(name) || (/(^|\/)requirements\//.test(file) && /\.(txt|in)$/.test(name))) return 'requirements';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'pipfile') return 'pipfile';
  if (name === 'uv.toml') return 'uv-toml';
  if (lockFormatOf(file)) return 'lock';
  // `Dockerfile.prod` is a Dockerfile; `dockerfile.ts` is source code about one
  if (name === 'dockerfile' || (name.startsWith('dockerfile.') && !SOURCE_EXTENSION.test(name)) || name.endsWith('.dockerfile') || name === 'containerfile') return 'dockerfile';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  return null;
}

const SOURCE_EXTENSION = /\.([cm]?[jt]sx?|py|go|rs|rb|java|md|json|txt|ya?ml|toml|sh)$/;

export function lockFormatOf(file: string): PythonLockFormat | null {
  switch (baseName(file).toLowerCase()) {
    case 'uv.lock':
      return 'uv.lock';
    case 'poetry.lock':
      return 'poetry.lock';
    case 'pipfile.lock':
      return 'Pipfile.lock';
    case 'pdm.lock':
      return 'pdm.lock';
    default:
      return null;
  }
}

export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The folder of a project-relative path, '' for the root. */
export function dirName(file: string): string {
  const at = file.lastIndexOf('/');
  return at === -1 ? '' : file.slice(0, at);
}

export function joinPath(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

/** Resolves `./a/../b` style paths inside the project; null when they leave it. */
export function resolveInside(dir: string, relative: string): string | null {
  if (relative.startsWith('/') || /^[a-z]+:\/\//i.test(relative)) return null;
  const parts: string[] = dir ? dir.split('/') : [];
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

/** `dir` itself and every folder above it, nearest first, ending with the root (''). */
export function ancestors(dir: string): string[] {
  const result = [dir];
  for (let current = dir; current !== ''; ) {
    current = dirName(current);
    result.push(current);
  }
  return result;
}
