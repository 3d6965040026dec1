import type * as SmolToml from 'smol-toml';
import { lazyRequire } from '../util/lazy-require.js';
import type { PythonFileProblem } from './model.js';

const toml = lazyRequire<typeof SmolToml>('smol-toml');

export type TomlResult = { ok: true; doc: Record<string, unknown> } | { ok: false; problem: PythonFileProblem };

/** A TOML document, or a problem naming the file and line where it stops being TOML. */
export function parseToml(file: string, text: string): TomlResult {
  try {
    return { ok: true, doc: toml().parse(text) as Record<string, unknown> };
  } catch (error) {
    const line = typeof (error as { line?: unknown }).line === 'number' ? ((error as { line: number }).line) : null;
    const reason = error instanceof Error ? error.message.split('\n')[0] ?? 'not TOML' : 'not TOML';
    return { ok: false, problem: { file, line, message: `${file}${line ? `:${line}` : ''} cannot be parsed as TOML: ${reason}` } };
  }
}

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function stringOr(value: unknown, fallback: string | null = null): string | null {
  return typeof value === 'string' ? value : fallback;
}

/** Finds 1-based lines for values in a text, each line handed out once, in order of the text. */
export class LineFinder {
  private readonly lines: string[];
  private readonly used = new Set<number>();

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }

  /** The first unused line matching; 1 when none does (the file is still the right place to look). */
  find(test: (line: string) => boolean): number {
    for (let index = 0; index < this.lines.length; index++) {
      if (this.used.has(index) || !test(this.lines[index] ?? '')) continue;
      this.used.add(index);
      return index + 1;
    }
    return 1;
  }

  quoted(value: string): number {
    return this.find((line) => line.includes(`"${value}"`) || line.includes(`'${value}'`));
  }

  key(name: string): number {
    const pattern = new RegExp(`^\\s*["']?${escapeRegExp(name)}["']?\\s*=`, 'i');
    return this.find((line) => pattern.test(line));
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
