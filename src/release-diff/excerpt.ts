export const MAX_EXCERPT = 160;

/**
 * The text around `offset` on its line, at most MAX_EXCERPT characters, with control and
 * invisible characters written as escapes: untrusted code must not move a terminal's cursor
 * or hide part of itself from the reviewer.
 */
export function excerptAt(text: string, offset: number, max = MAX_EXCERPT): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const lineEnd = newline === -1 ? text.length : newline;
  const before = Math.floor(max / 3);
  const start = Math.max(lineStart, offset - before);
  const end = Math.min(lineEnd, start + max);
  const body = escapeText(text.slice(start, end).trim());
  const cut = body.length > max ? `${body.slice(0, max - 1)}…` : body;
  return `${start > lineStart ? '…' : ''}${cut}${end < lineEnd && body.length <= max ? '…' : ''}`;
}

export function escapeText(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (char) => {
    if (char === '\t') return '\\t';
    if (char === '\r') return '\\r';
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Line number (1-based) of each offset, from one pass over the text. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
