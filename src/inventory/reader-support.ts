import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AuditError } from '../model/errors.js';
import { isPlainObject, stripBom } from './manifest.js';

/** Shared by the non-npm lockfile readers. */

export function parseError(path: string, problem: string): AuditError {
  return new AuditError('ELOCKFILE_PARSE', `${path}: ${problem}`, { file: path });
}

/** `@scope/name@1.2.3` → ['@scope/name', '1.2.3']; null when there is no `@` after the name. */
export function splitIdent(ident: string): [string, string] | null {
  const at = ident.indexOf('@', ident.startsWith('@') ? 1 : 0);
  if (at <= 0) return null;
  return [ident.slice(0, at), ident.slice(at + 1)];
}

/**
 * Line numbers of the keys of one YAML mapping (e.g. pnpm `packages:`, the top level of a
 * berry yarn.lock), found by a single scan of the text rather than the parser's node tree:
 * on the largest lockfiles the tree costs more than the whole rest of the inventory.
 */
export function yamlKeyLines(text: string, section: string | null, indent: number): Map<string, number> {
  const lines = new Map<string, number>();
  const prefix = ' '.repeat(indent);
  let inSection = section === null;
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (section !== null && /^\S/.test(line)) {
      inSection = line.startsWith(`${section}:`);
      continue;
    }
    if (!inSection || !line.startsWith(prefix) || line.length <= indent || line[indent] === ' ' || line[indent] === '#') continue;
    const body = line.slice(indent).replace(/\s+$/, '');
    const key = body.endsWith(':') ? body.slice(0, -1) : body.replace(/:\s.*$/, '');
    if (key === body || key === '') continue;
    for (const part of key.split(/,\s*/)) lines.set(part.replace(/^["']|["']$/g, ''), lineNo);
  }
  return lines;
}

/** The name a workspace folder's package.json gives it, for dependency paths; the folder name otherwise. */
export async function importerNameOf(root: string, path: string): Promise<string> {
  try {
    const raw: unknown = JSON.parse(stripBom(await readFile(join(root, path, 'package.json'), 'utf8')));
    if (isPlainObject(raw) && typeof raw.name === 'string' && raw.name) return raw.name;
  } catch {
    // a missing or broken manifest is reported when the importers are built; the name is cosmetic here
  }
  return basename(path === '.' ? root : join(root, path));
}

export function stringRecord(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number') out[key] = String(item);
  }
  return out;
}

/** Normalises a folder path found in a lockfile to the project-relative form importers use. */
export function normalizeFolder(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}
