import type * as BabelParser from '@babel/parser';
import type { ParserPlugin } from '@babel/parser';
import type { CatalogIndex } from '../catalog.js';
import { hostOfUrl } from '../hosts.js';
import type { Fact, Signal, UrlRef } from './types.js';
import { readBounded } from './walk.js';
import { lazyRequire } from '../../util/lazy-require.js';

// loaded only when the project has source files to parse
const babel = lazyRequire<typeof BabelParser>('@babel/parser');

export interface SourceLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxFiles: 2_000, maxFileBytes: 1_000_000 };

export interface SourceScan {
  signals: Signal[];
  filesParsed: number;
  /** Files skipped for size, count or a syntax the parser could not recover from. */
  skipped: string[];
}

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const BASE_URL_KEYS = new Set(['baseURL', 'baseUrl', 'basePath', 'base_url', 'baseURI', 'gatewayUrl', 'gatewayURL', 'endpoint', 'apiBase', 'apiBaseUrl']);
const HEADER_KEYS = new Set(['defaultHeaders', 'headers']);
/** AI SDK calls whose `model` may be a plain `provider/model` string (routed to the AI SDK's default, hosted gateway). */
const AI_SDK_CALLS = new Set(['generateText', 'streamText', 'generateObject', 'streamObject', 'embed', 'embedMany']);
const AI_SDK_PACKAGE = 'ai';

export function isSourceFile(file: string): boolean {
  return SOURCE_FILE.test(file) && !file.endsWith('.d.ts');
}

/** Parses the project's own JS/TS (never executes it) and reports how AI clients are built and wired. */
export async function scanSource(
  root: string,
  files: string[],
  catalog: CatalogIndex,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): Promise<SourceScan> {
  const candidates = files.filter(isSourceFile);
  const skipped = candidates.slice(limits.maxFiles);
  const signals: Signal[] = [];
  let filesParsed = 0;
  for (const file of candidates.slice(0, limits.maxFiles)) {
    const text = await readBounded(root, file, limits.maxFileBytes);
    if (text === null) {
      skipped.push(file);
      continue;
    }
    const found = scanFile(file, text, catalog);
    if (found === null) {
      skipped.push(file);
      continue;
    }
    filesParsed++;
    signals.push(...found);
  }
  return { signals, filesParsed, skipped };
}

interface Binding {
  pkg: string;
  /** The imported name (`default`, `*`, or a named export). */
  imported: string;
}

type Node = { type: string; loc?: { start: { line: number } } | null; [key: string]: unknown };

/** Signals for one file, or null when it cannot be parsed. */
export function scanFile(file: string, text: string, catalog: CatalogIndex): Signal[] | null {
  const ast = parseSource(file, text);
  if (!ast) return null;
  const bindings = new Map<string, Binding>();
  const constants = new Map<string, Node>();
  const nodes: Node[] = [];
  walk(ast as unknown as Node, (node) => {
    nodes.push(node);
    collectBinding(node, bindings, constants);
  });
  const signals: Signal[] = [];
  const add = (node: Node, fact: Fact, detail: string) => signals.push({ kind: 'source', fact, detail, file, line: node.loc?.start.line ?? 1 });
  const seenImports = new Set<string>();
  for (const node of nodes) {
    const pkg = importedPackage(node);
    if (pkg && !seenImports.has(pkg)) {
      seenImports.add(pkg);
      add(node, { type: 'import', pkg }, `imports ${pkg}`);
    }
    if (node.type === 'NewExpression' || node.type === 'CallExpression') inspectCall(node, bindings, constants, add);
    inspectLiteral(node, catalog, add);
  }
  return signals;
}

function parseSource(file: string, text: string): ReturnType<typeof BabelParser.parse> | null {
  const plugins: ParserPlugin[] = [];
  if (/\.[cm]?tsx?$/.test(file)) plugins.push('typescript');
  if (/\.(?:jsx|tsx|js|mjs|cjs)$/.test(file)) plugins.push('jsx');
  try {
    return babel().parse(text, { sourceType: 'unambiguous', plugins, errorRecovery: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true });
  } catch {
    return null;
  }
}

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'start' || key === 'end' || key === 'extra' || key === 'comments' || key === 'leadingComments' || key === 'trailingComments') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) walk(child, visit);
    } else if (isNode(value)) {
      walk(value, visit);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** `openai/resources` → `openai`; `@scope/pkg/sub` → `@scope/pkg`; relative and node: specifiers → null. */
export function packageOfSpecifier(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('#')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return name && /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name) ? name : null;
}

function importedPackage(node: Node): string | null {
  if (node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') {
    const source = node.source as Node | null | undefined;
    return source?.type === 'StringLiteral' ? packageOfSpecifier(source.value as string) : null;
  }
  const required = requiredSpecifier(node);
  return required ? packageOfSpecifier(required) : null;
}

function requiredSpecifier(node: Node): string | null {
  if (node.type !== 'CallExpression' && node.type !== 'ImportExpression') return null;
  const callee = node.callee as Node | undefined;
  const isRequire = node.type === 'ImportExpression' || callee?.type === 'Import' || (callee?.type === 'Identifier' && callee.name === 'require');
  const arg = (node.type === 'ImportExpression' ? node.source : (node.arguments as Node[] | undefined)?.[0]) as Node | undefined;
  return isRequire && arg?.type === 'StringLiteral' ? (arg.value as string) : null;
}

function collectBinding(node: Node, bindings: Map<string, Binding>, constants: Map<string, Node>): void {
  if (node.type === 'ImportDeclaration') {
    const pkg = packageOfSpecifier(((node.source as Node).value as string) ?? '');
    if (!pkg) return;
    for (const spec of node.specifiers as Node[]) {
      const local = (spec.local as Node).name as string;
      if (spec.type === 'ImportDefaultSpecifier') bindings.set(local, { pkg, imported: 'default' });
      else if (spec.type === 'ImportNamespaceSpecifier') bindings.set(local, { pkg, imported: '*' });
      else bindings.set(local, { pkg, imported: nameOf(spec.imported as Node) ?? local });
    }
    return;
  }
  if (node.type !== 'VariableDeclarator') return;
  const id = node.id as Node;
  const init = node.init as Node | null;
  if (!init) return;
  const required = requiredSpecifier(unwrapAwait(init));
  const pkg = required ? packageOfSpecifier(required) : null;
  if (pkg && id.type === 'Identifier') bindings.set(id.name as string, { pkg, imported: 'default' });
  else if (pkg && id.type === 'ObjectPattern') {
    for (const prop of id.properties as Node[]) {
      if (prop.type !== 'ObjectProperty') continue;
      const value = prop.value as Node;
      const imported = nameOf(prop.key as Node);
      if (value.type === 'Identifier' && imported) bindings.set(value.name as string, { pkg, imported });
    }
  } else if (id.type === 'Identifier') {
    constants.set(id.name as string, init);
  }
}

function unwrapAwait(node: Node): Node {
  return node.type === 'AwaitExpression' ? (node.argument as Node) : node;
}

function nameOf(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'StringLiteral') return node.value as string;
  return null;
}

type Add = (node: Node, fact: Fact, detail: string) => void;

/** `new OpenAI({...})`, `ns.Client(...)`, `observeOpenAI(client)`, `createOpenAI({ baseURL })`, `generateText({ model: 'openai/gpt-4o' })`. */
function inspectCall(node: Node, bindings: Map<string, Binding>, constants: Map<string, Node>, add: Add): void {
  const target = calleeBinding(node.callee as Node, bindings);
  if (!target) return;
  const { binding, name } = target;
  const args = (node.arguments as Node[]) ?? [];
  const options = args.find((arg) => arg.type === 'ObjectExpression');
  const baseUrl = options ? baseUrlOf(options, constants) : null;
  const headers = options ? headersOf(options) : [];
  if (node.type === 'NewExpression' && !/Instrumentation$/.test(name)) {
    add(node, { type: 'client', pkg: binding.pkg, ctor: name, baseUrl, headers }, `new ${name}(…) from ${binding.pkg}${describeRoute(baseUrl)}`);
    return;
  }
  if (binding.pkg === AI_SDK_PACKAGE && AI_SDK_CALLS.has(name) && options) {
    const model = propertyValue(options, 'model');
    if (model?.type === 'StringLiteral' && /^[\w-]+\/[\w.:-]+/.test(model.value as string)) {
      add(model, { type: 'model-route', pkg: binding.pkg, model: model.value as string }, `${name}({ model: '${model.value as string}' }) routes through the AI SDK's default gateway`);
    }
    return;
  }
  if (baseUrl || headers.length > 0) {
    add(node, { type: 'client', pkg: binding.pkg, ctor: name, baseUrl, headers }, `${name}(…) from ${binding.pkg}${describeRoute(baseUrl)}`);
    return;
  }
  const category = callCategory(name);
  add(node, { type: 'call', pkg: binding.pkg, fn: name, category }, `calls ${name}(…) from ${binding.pkg}`);
}

function calleeBinding(callee: Node, bindings: Map<string, Binding>): { binding: Binding; name: string } | null {
  if (callee.type === 'Identifier') {
    const binding = bindings.get(callee.name as string);
    if (!binding) return null;
    return { binding, name: binding.imported === 'default' || binding.imported === '*' ? (callee.name as string) : binding.imported };
  }
  if (callee.type === 'MemberExpression' && !callee.computed) {
    const object = callee.object as Node;
    const property = nameOf(callee.property as Node);
    if (object.type === 'Identifier' && property) {
      const binding = bindings.get(object.name as string);
      if (binding) return { binding, name: property };
    }
  }
  return null;
}

function callCategory(name: string): 'wrapper' | 'instrumentation' | 'other' {
  if (/^(wrap|observe|monitor|with|traceable|trace|patch)/i.test(name)) return 'wrapper';
  if (/(initiali[sz]e|^init$|register|instrument|^start$|^configure)/i.test(name)) return 'instrumentation';
  return 'other';
}

function describeRoute(baseUrl: UrlRef | null): string {
  if (!baseUrl) return '';
  const parts = [baseUrl.host ? `host ${baseUrl.host}` : null, baseUrl.envVar ? `env ${baseUrl.envVar}` : null].filter(Boolean);
  return ` with base URL ${parts.join(' / ') || '(not a literal)'}`;
}

function propertyValue(object: Node, key: string): Node | null {
  for (const prop of object.properties as Node[]) {
    if (prop.type === 'ObjectProperty' && !prop.computed && nameOf(prop.key as Node) === key) return prop.value as Node;
  }
  return null;
}

function baseUrlOf(options: Node, constants: Map<string, Node>): UrlRef | null {
  for (const prop of options.properties as Node[]) {
    if (prop.type !== 'ObjectProperty' || prop.computed) continue;
    const key = nameOf(prop.key as Node);
    if (!key || !BASE_URL_KEYS.has(key)) continue;
    const ref = urlRefOf(prop.value as Node, constants, 0);
    return ref.host || ref.envVar ? ref : { host: null, envVar: null };
  }
  return null;
}

function urlRefOf(node: Node, constants: Map<string, Node>, depth: number): UrlRef {
  if (depth > 4) return { host: null, envVar: null };
  switch (node.type) {
    case 'StringLiteral':
      return { host: hostOfUrl(node.value as string), envVar: null };
    case 'TemplateLiteral': {
      const first = ((node.quasis as Node[])[0]?.value as { cooked?: string } | undefined)?.cooked ?? '';
      const expressions = node.expressions as Node[];
      const fromExpression = first === '' && expressions[0] ? urlRefOf(expressions[0], constants, depth + 1) : { host: null, envVar: null };
      return { host: hostOfUrl(first) ?? fromExpression.host, envVar: fromExpression.envVar };
    }
    case 'LogicalExpression':
    case 'ConditionalExpression': {
      const parts = [node.left, node.right, node.consequent, node.alternate].filter(isNode).map((part) => urlRefOf(part, constants, depth + 1));
      return { host: parts.find((part) => part.host)?.host ?? null, envVar: parts.find((part) => part.envVar)?.envVar ?? null };
    }
    case 'Identifier': {
      const init = constants.get(node.name as string);
      return init ? urlRefOf(init, constants, depth + 1) : { host: null, envVar: null };
    }
    case 'TSAsExpression':
    case 'TSNonNullExpression':
      return urlRefOf(node.expression as Node, constants, depth + 1);
    default:
      return { host: null, envVar: envVarOf(node) };
  }
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get('X')`. */
export function envVarOf(node: Node): string | null {
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    const object = node.object as Node;
    const key = node.computed ? nameOf(node.property as Node) : nameOf(node.property as Node);
    if (key && (object.type === 'MemberExpression' || object.type === 'OptionalMemberExpression') && nameOf(object.property as Node) === 'env') return key;
  }
  if (node.type === 'CallExpression') {
    const callee = node.callee as Node;
    const arg = (node.arguments as Node[])[0];
    if (callee.type === 'MemberExpression' && nameOf(callee.property as Node) === 'get' && arg?.type === 'StringLiteral') return arg.value as string;
  }
  return null;
}

function headersOf(options: Node): string[] {
  const headers: string[] = [];
  for (const prop of options.properties as Node[]) {
    if (prop.type !== 'ObjectProperty' || !HEADER_KEYS.has(nameOf(prop.key as Node) ?? '')) continue;
    const value = prop.value as Node;
    if (value.type !== 'ObjectExpression') continue;
    for (const header of value.properties as Node[]) {
      const name = header.type === 'ObjectProperty' ? nameOf(header.key as Node) : null;
      if (name) headers.push(name);
    }
  }
  return headers;
}

/** URL literals naming a catalogued host, and header names a gateway is known by. */
function inspectLiteral(node: Node, catalog: CatalogIndex, add: Add): void {
  const texts: string[] = [];
  if (node.type === 'StringLiteral') texts.push(node.value as string);
  else if (node.type === 'TemplateElement') texts.push(((node.value as { cooked?: string }).cooked ?? '') as string);
  else if ((node.type === 'ObjectProperty' || node.type === 'ObjectMethod') && !node.computed && (node.key as Node).type === 'Identifier') {
    texts.push((node.key as Node).name as string);
  }
  for (const text of texts) {
    const host = hostOfUrl(text);
    if (host && catalog.toolByHost(host)) add(node, { type: 'endpoint', host }, `URL to ${host}`);
    else if (/^[a-z][a-z0-9-]{3,60}$/i.test(text) && text.includes('-') && catalog.toolByHeader(text)) {
      add(node, { type: 'header', header: text }, `sets header ${text}`);
    }
  }
}
