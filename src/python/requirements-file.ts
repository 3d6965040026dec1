import type { PythonFileProblem, PythonRequirement, RequirementSource } from './model.js';
import { parseRequirement } from './requirement.js';

export interface RequirementsInclude {
  kind: 'requirements' | 'constraints';
  /** As written (relative to the including file's folder). */
  path: string;
  line: number;
}

export interface ParsedRequirementsFile {
  requirements: PythonRequirement[];
  includes: RequirementsInclude[];
  /** `-i` / `--index-url` given in the file (pip honours it for the whole install). */
  indexUrl: string | null;
  extraIndexUrls: string[];
  noIndex: boolean;
  problems: PythonFileProblem[];
}

/** Options that take a value (as a separate word or after `=`); their value is not a requirement. */
const VALUE_OPTIONS = new Set([
  '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '--trusted-host', '-e', '--editable', '--hash', '--global-option', '--config-settings', '--install-option',
  '--only-binary', '--no-binary', '--use-feature',
]);

/** A requirements file as pip reads it: continuations, comments, `-r`/`-c` includes, index options and `--hash`. */
export function parseRequirementsFile(file: string, text: string, source: RequirementSource = 'requirements'): ParsedRequirementsFile {
  const result: ParsedRequirementsFile = { requirements: [], includes: [], indexUrl: null, extraIndexUrls: [], noIndex: false, problems: [] };
  for (const { text: logical, line } of logicalLines(text)) {
    const words = logical.split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const first = words[0] ?? '';
    if (first.startsWith('-')) {
      readOptions(words, line, result, file);
      continue;
    }
    const hashIndex = words.findIndex((word) => word.startsWith('--'));
    const requirementText = (hashIndex === -1 ? words : words.slice(0, hashIndex)).join(' ');
    const options = hashIndex === -1 ? [] : words.slice(hashIndex);
    const parsed = parseRequirement(requirementText);
    if (!parsed) {
      // URLs, paths and archives are installable lines, but not index requirements
      if (!/^(\.|\/|[a-z+]+:\/\/|git\+)/i.test(requirementText) && !/\.(whl|tar\.gz|zip)$/i.test(requirementText)) {
        result.problems.push({ file, line, message: `${file}:${line} is not a requirement pip can read: ${clip(requirementText)}` });
      }
      continue;
    }
    result.requirements.push({ ...parsed, hashes: hashesOf(options), file, line, source });
  }
  return result;
}

function readOptions(words: string[], line: number, result: ParsedRequirementsFile, file: string): void {
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const eq = word.indexOf('=');
    const option = word.startsWith('--') && eq !== -1 ? word.slice(0, eq) : word.length > 2 && /^-[a-z]/.test(word) && !word.startsWith('--') ? word.slice(0, 2) : word;
    const inline = option !== word ? word.slice(option.length).replace(/^=/, '') : null;
    const takesValue = VALUE_OPTIONS.has(option);
    const value = takesValue ? (inline ?? words[++index] ?? '') : null;
    if (takesValue && !value) {
      result.problems.push({ file, line, message: `${file}:${line}: ${option} has no value` });
      continue;
    }
    if (option === '-r' || option === '--requirement') result.includes.push({ kind: 'requirements', path: value ?? '', line });
    else if (option === '-c' || option === '--constraint') result.includes.push({ kind: 'constraints', path: value ?? '', line });
    else if (option === '-i' || option === '--index-url') result.indexUrl = value;
    else if (option === '--extra-index-url' && value) result.extraIndexUrls.push(value);
    else if (option === '--no-index') result.noIndex = true;
  }
}

function hashesOf(options: string[]): string[] {
  const hashes: string[] = [];
  for (let index = 0; index < options.length; index++) {
    const word = options[index] ?? '';
    const value = word.startsWith('--hash=') ? word.slice('--hash='.length) : word === '--hash' ? (options[++index] ?? '') : null;
    if (value && /^sha256:[0-9a-f]{64}$/i.test(value)) hashes.push(value.toLowerCase());
  }
  return hashes;
}

/** Joins `\` continuations and drops comments; each logical line keeps the number of its first physical line. */
export function logicalLines(text: string): Array<{ text: string; line: number }> {
  const lines: Array<{ text: string; line: number }> = [];
  let current: { text: string; line: number } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const withoutComment = raw.replace(/(^|\s)#.*$/, '');
    const continued = /\\\s*$/.test(withoutComment);
    const body = withoutComment.replace(/\\\s*$/, '');
    current = current ? { text: `${current.text} ${body}`, line: current.line } : { text: body, line: index + 1 };
    if (!continued) {
      lines.push({ text: current.text.trim(), line: current.line });
      current = null;
    }
  });
  if (current) lines.push({ text: (current as { text: string }).text.trim(), line: (current as { line: number }).line });
  return lines;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
