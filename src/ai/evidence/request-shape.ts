type Node = { type: string; [key: string]: unknown };

/** Options that put data in the request: a body, a query built from values, form data. */
const PAYLOAD_OPTIONS = new Set(['body', 'data', 'json', 'form', 'params', 'searchParams', 'credentials']);
/** Header names that carry a credential (`Authorization`, `x-api-key`, `api-key`, `X-Auth-Token`, `Cookie`). */
const CREDENTIAL_HEADER = /authori[sz]ation|api[-_]?key|token|secret|cookie|(?:^|[-_])key$/i;
/** Query parameter names that carry a credential (`?key=` is how Google's Gemini API takes its key). */
const CREDENTIAL_PARAM = /key|token|secret|auth|sig/i;

/**
 * Whether an HTTP call visibly carries neither a prompt nor a credential: a GET or HEAD whose URL
 * is written out (no key in its query) and whose options, when given, are an object literal with no
 * body and no credential header. A model-list lookup (`fetch('https://openrouter.ai/api/v1/models')`)
 * contacts a gateway's host without sending it a key or a prompt, so it is not a route. Anything the
 * code does not show (options in a variable, a spread, a computed method) counts as carrying data.
 *
 * `method` is the HTTP method the callee's name implies (`axios.get` → GET, `axios.post` → POST), or
 * null when the call's options decide it (`fetch(url, init)`, `axios(config)`, `got(url, options)`).
 */
export function carriesNothing(call: Node, urlNode: Node, method: string | null): boolean {
  if (method !== null && !isSafeMethod(method)) return false;
  if (!urlShowsNoCredential(urlNode)) return false;
  const args = (call.arguments as Node[]) ?? [];
  const first = args[0];
  // the config form (`axios({ url, method })`, `fetch({ url })`) carries its options in the first argument
  const options = first?.type === 'ObjectExpression' ? first : args[1];
  if (first?.type !== 'ObjectExpression' && args.length > 2) return false;
  if (!options) return true;
  if (options.type !== 'ObjectExpression') return false;
  for (const prop of options.properties as Node[]) {
    if (prop.type !== 'ObjectProperty' || prop.computed) return false;
    const key = keyName(prop.key as Node);
    if (key === null || PAYLOAD_OPTIONS.has(key)) return false;
    const value = prop.value as Node;
    if (key === 'method' && (value.type !== 'StringLiteral' || !isSafeMethod(value.value as string))) return false;
    if (key === 'headers' && !headersShowNoCredential(value)) return false;
  }
  return true;
}

function isSafeMethod(method: string): boolean {
  return /^(?:get|head)$/i.test(method);
}

function urlShowsNoCredential(node: Node): boolean {
  if (node.type === 'StringLiteral') return !queryHasCredential(node.value as string);
  if (node.type !== 'TemplateLiteral') return false;
  const quasis = (node.quasis as Node[]).map((quasi) => (quasi.value as { cooked?: string }).cooked ?? '');
  const text = quasis.join('');
  // a value computed into the query string may be a key
  const queryStart = quasis.findIndex((part) => part.includes('?'));
  return !queryHasCredential(text) && (queryStart === -1 || queryStart === quasis.length - 1);
}

/** Whether a URL's query names a credential parameter; split, not matched with a pattern (linear on any input). */
function queryHasCredential(url: string): boolean {
  const query = url.indexOf('?');
  if (query === -1) return false;
  const end = url.indexOf('#', query);
  return url
    .slice(query + 1, end === -1 ? undefined : end)
    .split('&')
    .some((param) => param.includes('=') && CREDENTIAL_PARAM.test(param.slice(0, param.indexOf('='))));
}

function headersShowNoCredential(node: Node): boolean {
  if (node.type !== 'ObjectExpression') return false;
  return (node.properties as Node[]).every((prop) => {
    if (prop.type !== 'ObjectProperty' || prop.computed) return false;
    const name = keyName(prop.key as Node);
    return name !== null && !CREDENTIAL_HEADER.test(name);
  });
}

function keyName(node: Node): string | null {
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'StringLiteral') return node.value as string;
  return null;
}

/**
 * The last path segments of a gateway's account API, not of model calls: OpenRouter's OAuth key
 * exchange (`/api/v1/auth/keys`), key information (`/api/v1/key`), credits, generation statistics
 * and activity. A call there neither carries prompts nor sits in the path of LLM calls.
 */
const ACCOUNT_PATH = /\/v1\/(?:auth\/keys|key|credits|generation|activity)\/?$/i;

/**
 * Whether a written-out URL calls an account API (see `ACCOUNT_PATH`): its path must be written
 * out to its end — a string, or a template whose values come only after the `?` — so a path that
 * continues with a computed part (`/v1/${route}`) never counts.
 */
export function callsAccountApi(urlNode: Node): boolean {
  let text: string | null = null;
  if (urlNode.type === 'StringLiteral') text = urlNode.value as string;
  else if (urlNode.type === 'TemplateLiteral') {
    const first = (((urlNode.quasis as Node[])[0]?.value as { cooked?: string } | undefined)?.cooked ?? '');
    if ((urlNode.expressions as Node[]).length === 0 || /[?#]/.test(first)) text = first;
  }
  return text !== null && isAccountApiUrl(text);
}

/** `https://openrouter.ai/api/v1/auth/keys` → true; anything without a scheme and host → false. */
export function isAccountApiUrl(url: string): boolean {
  const match = /^[a-z]+:\/\/[^/?#]+(\/[^?#]*)?/i.exec(url.trim());
  return match !== null && ACCOUNT_PATH.test(match[1] ?? '');
}
