import { normalizeName } from './names.js';

export interface ParsedRequirement {
  name: string;
  normalized: string;
  extras: string[];
  specifier: string;
  marker: string | null;
  exactVersion: string | null;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s;

/** A PEP 508 requirement, e.g. `litellm[proxy]==1.82.6 ; python_version>"3.9"`; null when it is not one. */
export function parseRequirement(text: string): ParsedRequirement | null {
  const match = NAME.exec(text.trim());
  if (!match?.[1]) return null;
  const rest = match[3] ?? '';
  const semicolon = rest.indexOf(';');
  const specifier = (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim().replace(/^\((.*)\)$/, '$1').trim();
  const marker = semicolon === -1 ? null : rest.slice(semicolon + 1).trim() || null;
  if (specifier && !/^(@|[<>=!~])/.test(specifier)) return null;
  const extras = (match[2] ?? '').split(',').map((extra) => extra.trim().toLowerCase()).filter(Boolean);
  return { name: match[1], normalized: normalizeName(match[1]), extras, specifier, marker, exactVersion: exactVersionOf(specifier) };
}

/** `==1.2.3` and `===1.2.3` are exact; `==1.2.*`, several clauses or any other operator are ranges. */
export function exactVersionOf(specifier: string): string | null {
  const match = /^===?\s*([0-9A-Za-z][^,\s*]*)$/.exec(specifier.trim());
  return match?.[1] ?? null;
}
