/**
 * Names a minifier never renames: globals and the APIs the signals are about. Every other
 * identifier becomes `_`, so a rebuilt bundle with new local names gives the same fingerprint.
 */
const KEPT_NAMES = new Set([
  'process', 'window', 'globalThis', 'global', 'self', 'Object', 'JSON', 'require', 'eval', 'Function', 'fetch', 'XMLHttpRequest',
  'Buffer', 'atob', 'btoa', 'WebSocket', 'navigator', 'document', 'module', 'exports', 'String', 'Reflect', 'this', 'new', 'return',
  'function', 'typeof', 'await', 'async', 'import', 'from', 'export', 'default', 'if', 'else', 'for', 'while', 'in', 'of', 'try', 'catch',
  'throw', 'class', 'extends', 'true', 'false', 'null', 'undefined', 'void', 'delete', 'instanceof', 'switch', 'case', 'break', 'continue',
]);

const TOKEN = /(["'`])(?:\\.|(?!\1)[^\\\n])*\1|\.\s*[A-Za-z_$][\w$]*|[A-Za-z_$][\w$]*|\s+/g;

/** One statement's shape, independent of local names, quote style and whitespace. */
export function normaliseStatement(statement: string): string {
  return statement.replace(TOKEN, (token) => {
    const first = token[0] ?? '';
    if (/\s/.test(first)) return '';
    if (first === '"' || first === "'" || first === '`') return `"${token.slice(1, -1)}"`;
    if (first === '.') return token.replace(/\s+/g, '');
    return KEPT_NAMES.has(token) ? token : '_';
  });
}

/** The statement around `offset`: from the previous `;`, `{`, `}` or line break to the next, at most 240 characters each way. */
export function statementAround(text: string, offset: number): string {
  const from = Math.max(0, offset - 240);
  const to = Math.min(text.length, offset + 240);
  let start = offset;
  while (start > from && !';{}\n'.includes(text[start - 1] ?? '')) start--;
  let end = offset;
  while (end < to && !';{}\n'.includes(text[end] ?? '')) end++;
  return text.slice(start, end);
}

/** The last two labels of a host (`api.example.test` → `example.test`): a new subdomain of a known host is not a new endpoint. */
export function siteOf(host: string): string {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return host;
  const labels = host.split('.');
  const twoLevelSuffix = labels.length > 2 && /^(?:co|com|net|org|gov|ac|edu)$/.test(labels.at(-2) ?? '') && (labels.at(-1) ?? '').length === 2;
  return labels.slice(twoLevelSuffix ? -3 : -2).join('.');
}
