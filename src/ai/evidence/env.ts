import { hostOfUrl } from '../hosts.js';
import type { Signal } from './types.js';
import { choiceKey } from './choices.js';
import { baseName, readBounded } from '../../util/project-files.js';

const MAX_ENV_BYTES = 256 * 1024;
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/;
/** One short word: a provider's name, a mode. */
const WORD = /^[A-Za-z][\w.-]{0,31}$/;
/** Variables whose value is a secret even when it is one word: such a value is never kept. */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASS|PWD|AUTH|CREDENTIAL|PRIVATE|SALT|SIGNATURE|COOKIE|SESSION|CERT/i;
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };

export function isEnvFile(file: string): boolean {
  const name = baseName(file);
  return name === '.env' || name.startsWith('.env.') || name.endsWith('.env');
}

/**
 * Reads `.env*` files for variable NAMES, the host of URL values, boolean flags and the one-word
 * values of non-secret variables (which provider `LLM_PROVIDER` picks). Any other value never
 * leaves this function; a word is only compared with the code's provider choices, never printed.
 */
export async function scanEnvFiles(root: string, files: string[]): Promise<Signal[]> {
  const signals: Signal[] = [];
  for (const file of files.filter(isEnvFile)) {
    const text = await readBounded(root, file, MAX_ENV_BYTES);
    if (text !== null) signals.push(...scanEnvText(file, text));
  }
  return signals;
}

export function scanEnvText(file: string, text: string): Signal[] {
  const signals: Signal[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const match = ASSIGNMENT.exec(raw);
    if (!match?.[1] || raw.trimStart().startsWith('#')) return;
    signals.push(...envSignals(file, index + 1, match[1], unquote(match[2] ?? '')));
  });
  return signals;
}

/** The signals one variable assignment gives: its name, the host of a URL value, a boolean flag. */
export function envSignals(file: string, line: number, name: string, value: string): Signal[] {
  const signals: Signal[] = [{ kind: 'config', fact: { type: 'env-var', name }, detail: `${file} defines ${name}`, file, line }];
  const host = hostOfUrl(value);
  if (host) signals.push({ kind: 'config', fact: { type: 'env-url', name, host }, detail: `${name} points at ${host}`, file, line });
  const flag = BOOLEAN_WORDS[value.toLowerCase()];
  if (flag !== undefined) signals.push({ kind: 'config', fact: { type: 'env-flag', name, value: flag }, detail: `${name} is ${flag ? 'on' : 'off'}`, file, line });
  else if (!host && WORD.test(value) && !SECRET_NAME.test(name)) signals.push({ kind: 'config', fact: { type: 'env-word', name, word: choiceKey(value) }, detail: `${file} sets ${name} to a name`, file, line });
  return signals;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(['"`])(.*)\1/.exec(trimmed);
  if (quoted) return quoted[2] ?? '';
  return trimmed.replace(/\s+#.*$/, '');
}
