/**
 * Line numbers of object keys in a JSON document, so findings can point at the exact line of
 * package.json or a lockfile. Keys are addressed by their path, e.g. ['dependencies', 'openai'].
 * Only keys up to `maxDepth` levels deep are indexed; the scan is a single pass over the text.
 */
export class JsonKeyLines {
  private readonly lines = new Map<string, number>();

  constructor(text: string, maxDepth = 2) {
    this.index(text, maxDepth);
  }

  line(...path: string[]): number | null {
    return this.lines.get(path.join('\u0000')) ?? null;
  }

  private index(text: string, maxDepth: number): void {
    const stack: Array<{ kind: 'object' | 'array'; key: string | null }> = [];
    let line = 1;
    let pendingKey: string | null = null;
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '\n') {
        line++;
        i++;
      } else if (ch === '"') {
        const end = endOfString(text, i);
        const top = stack[stack.length - 1];
        const isKey = top?.kind === 'object' && nextNonSpace(text, end + 1) === ':';
        if (isKey) {
          pendingKey = JSON.parse(text.slice(i, end + 1)) as string;
          if (stack.length <= maxDepth) {
            const path = [...stack.slice(1).map((frame) => frame.key ?? ''), pendingKey];
            const id = path.join('\u0000');
            if (!this.lines.has(id)) this.lines.set(id, line);
          }
        }
        i = end + 1;
      } else if (ch === '{' || ch === '[') {
        stack.push({ kind: ch === '{' ? 'object' : 'array', key: pendingKey });
        pendingKey = null;
        i++;
      } else if (ch === '}' || ch === ']') {
        stack.pop();
        i++;
      } else {
        if (ch === ',') pendingKey = null;
        i++;
      }
    }
  }
}

function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i;
    else i++;
  }
  return text.length - 1;
}

function nextNonSpace(text: string, from: number): string | undefined {
  let i = from;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  return text[i];
}
