import type * as BabelParser from '@babel/parser';
import type { ParserPlugin } from '@babel/parser';
import type { CatalogIndex } from '../catalog.js';
import { hostOfUrl } from '../hosts.js';
import type { Fact, Signal, UrlRef } from './types.js';
import { componentScript, isComponentFile } from './component-script.js';
import { callsAccountApi, carriesNothing, isAccountApiUrl } from './request-shape.js';
import { readBounded } from '../../util/project-files.js';
import { lazyRequire } from '../../util/lazy-require.js';
import { isNode, nameOf, type Node } from './ast.js';
import { markChoices, readChoices, type FileChoices, type ModuleName, type Place } from './choices.js';

// loaded only when the project has source files to parse
const babel = lazyRequire<typeof BabelParser>('@babel/parser');

export interface SourceLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxFiles: 2_000, maxFileBytes: 1_000_000 };

/** What the project's TypeScript config lets its code use that the parser must be told about. */
export interface ParseOptions {
  /** `experimentalDecorators` in tsconfig: the legacy decorator syntax (NestJS, TypeORM, Angular). */
  legacyDecorators: boolean;
}

export interface SourceScan {
  signals: Signal[];
  filesParsed: number;
  /** Files skipped for size, count or a syntax the parser could not recover from (all reasons). */
  skipped: string[];
  /** The same files by reason. */
  overCap: string[];
  tooLarge: string[];
  unparsable: Array<{ file: string; reason: string }>;
}

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const BASE_URL_KEYS = new Set(['baseURL', 'baseUrl', 'basePath', 'base_url', 'baseURI', 'gatewayUrl', 'gatewayURL', 'endpoint', 'apiBase', 'apiBaseUrl', 'apiUrl', 'apiURL', 'anthropicApiUrl']);
const HEADER_KEYS = new Set(['defaultHeaders', 'headers']);
/** AI SDK calls whose `model` may be a plain `provider/model` string (routed to the AI SDK's default, hosted gateway). */
const AI_SDK_CALLS = new Set(['generateText', 'streamText', 'generateObject', 'streamObject', 'embed', 'embedMany']);
const AI_SDK_PACKAGE = 'ai';
/** Plain HTTP clients: a call to an LLM API through them is a route of its own. */
const HTTP_PACKAGES = new Set(['axios', 'got', 'ky', 'node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch', 'ofetch']);
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'request', 'fetch', 'stream', 'create']);
/** The methods whose name is the HTTP method (`axios.get`, `got.post`). */
const VERB_METHODS = new Set(['get', 'post', 'put', 'patch']);
/** LLM API paths: a fetch to an uncatalogued host counts as an LLM route only with one of these (an app's own `/api/messages` does not). */
const LLM_PATH = /\/chat\/completions\b|\/v1\/(?:completions|messages|embeddings|responses)\b|:(?:stream)?[gG]enerateContent\b/;
/** Text that makes a file worth parsing first: it imports a package or names a URL, an env variable or an HTTP call. */
const HINT = /\bhttps?:\/\/|process\.env|import\.meta\.env|\bfetch\(|axios|baseURL|baseUrl|base_url/;

export function isSourceFile(file: string): boolean {
  return (SOURCE_FILE.test(file) && !file.endsWith('.d.ts')) || isComponentFile(file);
}

/**
 * One file's reading; a file the reader itself fails on (a bound it missed) is listed as not read,
 * with the reason, instead of ending the whole audit.
 */
function readOneFile(file: string, text: string, catalog: CatalogIndex, parse: ParseOptions, known: Set<string>): FileScan | { error: string } {
  try {
    return scanFileDetailed(file, text, catalog, parse, known);
  } catch (error) {
    return { error: `the reader failed on it (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Parses the project's own JS/TS (never executes it) and reports how AI clients are built and wired. */
export async function scanSource(
  root: string,
  files: string[],
  catalog: CatalogIndex,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
  parse: ParseOptions = { legacyDecorators: false },
): Promise<SourceScan> {
  const candidates = files.filter(isSourceFile);
  const texts = new Map<string, string>();
  const tooLarge: string[] = [];
  for (const file of candidates) {
    const text = await readBounded(root, file, limits.maxFileBytes);
    if (text === null) tooLarge.push(file);
    else texts.set(file, isComponentFile(file) ? componentScript(file, text) : text);
  }
  // files that import an AI package or name an endpoint are read first, so a cap never drops them
  const aiPackages = catalogPackagePattern(catalog);
  const rank = (file: string): number => {
    const text = texts.get(file) ?? '';
    if (aiPackages.test(text)) return 0;
    return HINT.test(text) ? 1 : 2;
  };
  const ordered = [...texts.keys()].map((file) => ({ file, rank: rank(file) })).sort((a, b) => a.rank - b.rank).map(({ file }) => file);
  const overCap = ordered.slice(limits.maxFiles);
  const unparsable: SourceScan['unparsable'] = [];
  const signals: Signal[] = [];
  const modules = new Map<string, FileScan>();
  const known = new Set(files);
  let filesParsed = 0;
  for (const file of ordered.slice(0, limits.maxFiles)) {
    const found = readOneFile(file, texts.get(file) ?? '', catalog, parse, known);
    if ('error' in found) {
      unparsable.push({ file, reason: found.error });
      continue;
    }
    filesParsed++;
    modules.set(file, found);
    signals.push(...found.signals);
  }
  resolveImportedUrls(signals, modules);
  markChoices(new Map([...modules].map(([file, scan]) => [file, scan.choices])));
  return { signals, filesParsed, skipped: [...tooLarge, ...overCap, ...unparsable.map((item) => item.file)], overCap, tooLarge, unparsable };
}

function catalogPackagePattern(catalog: CatalogIndex): RegExp {
  const names = catalog.catalog.tools.flatMap((tool) => tool.packages.map((pkg) => pkg.name)).filter((name) => name !== AI_SDK_PACKAGE);
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`["'\`](?:${[...escaped, 'ai', '@ai-sdk/[\\w-]+'].join('|')})(?:/[^"'\`]*)?["'\`]`);
}

/** Base URLs kept in a constants or config module and imported elsewhere: resolved against what that module exports. */
function resolveImportedUrls(signals: Signal[], modules: Map<string, FileScan>): void {
  const lookup = (ref: UrlRef, depth: number): UrlRef => {
    if (!ref.imported || depth > 4) return ref;
    const module = modules.get(ref.imported.file);
    const { name, member } = ref.imported;
    // `import * as C from './c'` then `C.URL`: the module's own export `URL`
    const key = name === '*' ? member : member ? `${name}.${member}` : name;
    const exported = key === null ? undefined : module?.exports.get(key);
    if (!exported) return { host: ref.host, envVar: ref.envVar, computed: true };
    const next = lookup(exported, depth + 1);
    return { host: ref.host ?? next.host, envVar: ref.envVar ?? next.envVar, ...(next.computed ? { computed: true } : {}) };
  };
  for (const signal of signals) {
    const { fact } = signal;
    const ref = fact.type === 'client' ? fact.baseUrl : fact.type === 'fetch' ? fact.target : null;
    if (!ref?.imported) continue;
    const from = ref.imported.file;
    const resolved = lookup(ref, 0);
    if (fact.type === 'client') fact.baseUrl = resolved;
    else if (fact.type === 'fetch') fact.target = resolved;
    if (resolved.host || resolved.envVar) signal.detail = `${signal.detail.replace(/ with base URL \(not a literal\)$/, '')}${resolved.host ? `; ${resolved.host}` : ''}${resolved.envVar ? `; env ${resolved.envVar}` : ''} (from ${from})`;
  }
}

interface Binding {
  pkg: string;
  /** The imported name (`default`, `*`, or a named export). */
  imported: string;
}

interface FileScan {
  signals: Signal[];
  /** Exported constants that hold a URL or an env variable: `NAME` or `NAME.key` of an exported object literal. */
  exports: Map<string, UrlRef>;
  /** What the file declares, exports and uses of other modules, for finding provider choices across files. */
  choices: FileChoices;
}

/** Signals for one file, or null when it cannot be parsed. */
export function scanFile(file: string, text: string, catalog: CatalogIndex, parse: ParseOptions = { legacyDecorators: false }, files?: Set<string>): Signal[] | null {
  const found = scanFileDetailed(file, text, catalog, parse, files ?? new Set());
  if ('error' in found) return null;
  markChoices(new Map([[file, found.choices]]));
  return found.signals;
}

export function scanFileDetailed(file: string, text: string, catalog: CatalogIndex, parse: ParseOptions, files: Set<string>): FileScan | { error: string } {
  const ast = parseSource(file, text, parse);
  if ('error' in ast) return ast;
  const scope: Scope = { file, files, bindings: new Map(), constants: new Map(), locals: new Map(), assigned: new Map(), ownConstants: new Map(), ownAssigned: new Map(), ownTwice: new Set(), owner: null };
  const nodes: Node[] = [];
  const places: Place[] = [];
  const choices = readChoices(file, ast.program as unknown as Node, (specifier) => projectModule(file, specifier, files), (name) => heldBy(name, scope).init, (node, place) => {
    nodes.push(node);
    places.push(place);
    scope.owner = place.owner;
    collectBinding(node, scope);
  });
  scope.locals = choices.imports;
  const signals: Signal[] = [];
  // a signal sits where the node being inspected sits (a call's `model: '…'` is inside the call)
  let here: Place = { owner: null, branch: null };
  const add = (node: Node, fact: Fact, detail: string) => {
    const signal: Signal = { kind: 'source', fact, detail, file, line: node.loc?.start.line ?? 1 };
    signals.push(signal);
    choices.placed.push({ signal, ...here });
  };
  const seenImports = new Set<string>();
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index] as Node;
    here = places[index] ?? here;
    scope.owner = here.owner;
    const pkg = importedPackage(node);
    if (pkg && !seenImports.has(pkg)) {
      seenImports.add(pkg);
      add(node, { type: 'import', pkg }, `imports ${pkg}`);
    }
    if (node.type === 'NewExpression' || node.type === 'CallExpression') inspectCall(node, scope, add);
    inspectLiteral(node, catalog, add);
    inspectApiBase(node, add);
  }
  // exported constants are the module's
  scope.owner = null;
  return { signals, exports: exportedUrls(nodes, scope), choices };
}

interface Scope {
  file: string;
  files: Set<string>;
  bindings: Map<string, Binding>;
  constants: Map<string, Node>;
  /** Identifiers imported from the project's own modules (the choice reader's bindings, once the file is walked). */
  locals: Map<string, ModuleName>;
  /** `options.baseURL = …` anywhere in the file, as properties of the object `options` names (see `optionsOf`). */
  assigned: Map<string, Node[]>;
  /**
   * The same, by the top-level declaration they sit in (`owner\0name`): two functions of one
   * file that each build `const args = {}` keep their own (nanobrowser's helper.ts).
   */
  ownConstants: Map<string, Node>;
  ownAssigned: Map<string, Node[]>;
  /** Names declared more than once in one top-level declaration (`const args` in each `case`): which one a use means is not known. */
  ownTwice: Set<string>;
  /** The top-level declaration the code being inspected sits in. */
  owner: string | null;
}

function parseSource(file: string, text: string, parse: ParseOptions): ReturnType<typeof BabelParser.parse> | { error: string } {
  const base: ParserPlugin[] = [];
  // a component's <script lang="ts"> is TypeScript; plain JavaScript parses as TypeScript too
  if (/\.[cm]?tsx?$/.test(file) || isComponentFile(file)) base.push('typescript');
  if (/\.(?:jsx|tsx|js|mjs|cjs)$/.test(file)) base.push('jsx');
  // the project's tsconfig decides which decorator syntax is first; the other is tried before giving up
  const decorators: ParserPlugin[] = parse.legacyDecorators ? ['decorators-legacy', ['decorators', { decoratorsBeforeExport: true }]] : [['decorators', { decoratorsBeforeExport: true }], 'decorators-legacy'];
  let first: string | null = null;
  for (const decorator of decorators) {
    try {
      return babel().parse(text, { sourceType: 'unambiguous', plugins: [...base, decorator, 'importAttributes', 'explicitResourceManagement'], errorRecovery: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowImportExportEverywhere: true });
    } catch (error) {
      first ??= error instanceof Error ? error.message.split('\n')[0] ?? 'syntax error' : String(error);
    }
  }
  return { error: first ?? 'syntax error' };
}

/** `export const API_BASE = …` and `export const config = { baseURL: … }`, as URL references. */
function exportedUrls(nodes: Node[], scope: Scope): Map<string, UrlRef> {
  const exports = new Map<string, UrlRef>();
  const record = (name: string, init: Node) => {
    const object = init.type === 'TSAsExpression' || init.type === 'TSSatisfiesExpression' ? (init.expression as Node) : init;
    if (object.type === 'ObjectExpression') {
      for (const prop of object.properties as Node[]) {
        const key = prop.type === 'ObjectProperty' && !prop.computed ? nameOf(prop.key as Node) : null;
        if (!key) continue;
        const ref = urlRefOf(prop.value as Node, scope, 0);
        if (ref.host || ref.envVar || ref.imported) exports.set(`${name}.${key}`, ref);
      }
      return;
    }
    const ref = urlRefOf(object, scope, 0);
    if (ref.host || ref.envVar || ref.imported || ref.computed) exports.set(name, ref);
  };
  for (const node of nodes) {
    if (node.type !== 'ExportNamedDeclaration') continue;
    const declaration = node.declaration as Node | null;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations as Node[]) {
      const id = declarator.id as Node;
      const init = declarator.init as Node | null;
      if (id.type === 'Identifier' && init) record(id.name as string, init);
    }
  }
  return exports;
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
    if (typeOnly(node) || constantsOnly(node)) return null;
    const source = node.source as Node | null | undefined;
    return source?.type === 'StringLiteral' ? packageOfSpecifier(source.value as string) : null;
  }
  const required = requiredSpecifier(node);
  return required ? packageOfSpecifier(required) : null;
}

/** `import type { … }`, `export type { … } from`, `import { type A, type B }`: erased when compiled, so nothing of the package runs. */
function typeOnly(node: Node): boolean {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = (node.specifiers as Node[] | undefined) ?? [];
  return node.type !== 'ExportAllDeclaration' && specifiers.length > 0 && specifiers.every((spec) => spec.importKind === 'type' || spec.exportKind === 'type');
}

/**
 * `import { PROVIDERS_HUB_ORGS } from '@huggingface/inference'`: named constants only (upper
 * case), no client, no function — the package's code is loaded but nothing of it calls anyone.
 */
function constantsOnly(node: Node): boolean {
  const specifiers = (node.specifiers as Node[] | undefined) ?? [];
  return (
    node.type === 'ImportDeclaration' &&
    specifiers.length > 0 &&
    specifiers.every((spec) => spec.type === 'ImportSpecifier' && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(nameOf(spec.imported as Node) ?? ''))
  );
}

function requiredSpecifier(node: Node): string | null {
  if (node.type !== 'CallExpression' && node.type !== 'ImportExpression') return null;
  const callee = node.callee as Node | undefined;
  const isRequire = node.type === 'ImportExpression' || callee?.type === 'Import' || (callee?.type === 'Identifier' && callee.name === 'require');
  const arg = (node.type === 'ImportExpression' ? node.source : (node.arguments as Node[] | undefined)?.[0]) as Node | undefined;
  return isRequire && arg?.type === 'StringLiteral' ? (arg.value as string) : null;
}

function collectBinding(node: Node, scope: Scope): void {
  const { bindings, constants } = scope;
  // imports of the project's own modules are bound by the choice reader (`FileChoices.imports`)
  if (node.type === 'ImportDeclaration') {
    const pkg = packageOfSpecifier(((node.source as Node).value as string) ?? '');
    if (!pkg) return;
    for (const spec of node.specifiers as Node[]) {
      const name = (spec.local as Node).name as string;
      const imported = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : (nameOf(spec.imported as Node) ?? name);
      bindings.set(name, { pkg, imported });
    }
    return;
  }
  if (node.type === 'AssignmentExpression') return collectMemberAssignment(node, scope);
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
    const own = `${scope.owner ?? ''}\0${id.name as string}`;
    if (scope.ownConstants.has(own)) scope.ownTwice.add(own);
    scope.ownConstants.set(own, init);
  }
}

/** `name.key = value`: kept as a property `key: value` of what `name` holds. */
function collectMemberAssignment(node: Node, scope: Scope): void {
  const left = node.left as Node;
  if (node.operator !== '=' || left.type !== 'MemberExpression' || left.computed) return;
  const object = left.object as Node;
  const key = nameOf(left.property as Node);
  if (object.type !== 'Identifier' || !key) return;
  const property: Node = { type: 'ObjectProperty', computed: false, key: left.property as Node, value: node.right as Node, loc: node.loc } as Node;
  scope.assigned.set(object.name as string, [...(scope.assigned.get(object.name as string) ?? []), property]);
  const own = `${scope.owner ?? ''}\0${object.name as string}`;
  scope.ownAssigned.set(own, [...(scope.ownAssigned.get(own) ?? []), property]);
}

/**
 * The options a client is built with: an object literal, or a variable holding one, with the
 * members the file assigns to it (`let options = {}; if (key) options.baseURL = '…'`). Like the
 * rest of this reading, per file and not per branch: a conditional route counts as a route.
 */
function optionsOf(args: Node[], scope: Scope): Node | undefined {
  const literal = args.find((arg) => arg.type === 'ObjectExpression');
  if (literal) return literal;
  for (const arg of args) {
    const object = objectHeldBy(arg, scope);
    if (object) return object;
  }
  return undefined;
}

/**
 * What a name holds where the code being inspected sits: the declaration in the same top-level
 * function or class, with the members assigned to it there; otherwise the file's (a module
 * constant, with the members assigned to it anywhere).
 */
function heldBy(name: string, scope: Scope): { init: Node | undefined; later: Node[]; ambiguous: boolean } {
  const own = `${scope.owner ?? ''}\0${name}`;
  const init = scope.ownConstants.get(own);
  const ambiguous = scope.ownTwice.has(own);
  if (init && scope.owner !== null) return { init, later: scope.ownAssigned.get(own) ?? [], ambiguous };
  return { init: scope.constants.get(name), later: scope.assigned.get(name) ?? [], ambiguous };
}

/** The object literal a variable holds, with the members the file assigns to it later (`options.baseURL = …`). */
function objectHeldBy(node: Node, scope: Scope): Node | undefined {
  if (node.type !== 'Identifier') return undefined;
  const { init, later: assigned, ambiguous } = heldBy(node.name as string, scope);
  // members assigned to one of several same-named variables cannot be told apart: only the literal is read
  const later = ambiguous ? [] : assigned;
  const object = init && (init.type === 'TSAsExpression' || init.type === 'TSSatisfiesExpression' ? (init.expression as Node) : init);
  if (object?.type !== 'ObjectExpression') return undefined;
  return later.length === 0 ? object : ({ ...object, properties: [...(object.properties as Node[]), ...later] } as Node);
}

const MODULE_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '/index.ts', '/index.tsx', '/index.js'];

/**
 * The project file a relative (or `@/`, `~/`, SvelteKit's `$lib/`) import names, when it is one of the project's files.
 * An alias is looked up in the package folders around the importing file, nearest first, then at
 * the project root, as `x` and `src/x`: in a monorepo the app's own tsconfig defines it (apps/web,
 * `@/*` → `./src/*`).
 */
function projectModule(from: string, specifier: string, files: Set<string>): string | null {
  let bases: string[];
  if (specifier.startsWith('.')) bases = [normalize(`${from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : ''}/${specifier}`)];
  else if (/^[@~]\//.test(specifier)) bases = packageRootsOutwards(from, files).flatMap((folder) => [`${folder}${specifier.slice(2)}`, `${folder}src/${specifier.slice(2)}`]);
  // SvelteKit's own alias: `$lib/x` is the app's `src/lib/x`
  else if (specifier === '$lib' || specifier.startsWith('$lib/')) bases = packageRootsOutwards(from, files).map((folder) => `${folder}src/lib${specifier.slice(4)}`);
  else return null;
  for (const base of bases) {
    const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
    for (const candidate of [...MODULE_EXTENSIONS.map((ext) => `${base}${ext}`), ...MODULE_EXTENSIONS.map((ext) => `${stem}${ext}`)]) {
      if (files.has(candidate)) return candidate;
    }
  }
  return null;
}

/** The folders above a file that hold a package.json or tsconfig.json, nearest first, then the project root (`apps/web/`, ``). */
function packageRootsOutwards(file: string, files: Set<string>): string[] {
  const parts = file.split('/').slice(0, -1);
  const folders = parts.map((_, index) => `${parts.slice(0, parts.length - index).join('/')}/`);
  return [...folders.filter((folder) => files.has(`${folder}package.json`) || files.has(`${folder}tsconfig.json`)), ''];
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function unwrapAwait(node: Node): Node {
  return node.type === 'AwaitExpression' ? (node.argument as Node) : node;
}

type Add = (node: Node, fact: Fact, detail: string) => void;

/** `new OpenAI({...})`, `ns.Client(...)`, `observeOpenAI(client)`, `createOpenAI({ baseURL })`, `generateText({ model: 'openai/gpt-4o' })`, `fetch(url)`. */
function inspectCall(node: Node, scope: Scope, add: Add): void {
  if (inspectHttpCall(node, scope, add)) return;
  const target = calleeBinding(node.callee as Node, scope.bindings);
  if (!target) return;
  const { binding, name } = target;
  const args = (node.arguments as Node[]) ?? [];
  const options = optionsOf(args, scope);
  const baseUrl = options ? baseUrlOf(options, scope) : null;
  const headers = options ? headersOf(options, scope) : [];
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

/** `fetch(url)`, `axios.post(url)`, `got(url)`: a route when the target is an HTTP(S) URL the analysis can place. */
function inspectHttpCall(node: Node, scope: Scope, add: Add): boolean {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee as Node;
  let label: string | null = null;
  // the method the callee's name implies (`axios.get`), or null when the call's options say it
  let method: string | null = null;
  if (callee.type === 'Identifier' && callee.name === 'fetch' && !scope.bindings.has('fetch')) label = 'fetch';
  else {
    const target = calleeBinding(callee, scope.bindings);
    if (target && HTTP_PACKAGES.has(target.binding.pkg) && (callee.type === 'Identifier' || HTTP_METHODS.has(target.name))) {
      label = callee.type === 'Identifier' ? target.name : `${target.binding.pkg}.${target.name}`;
      if (callee.type !== 'Identifier' && VERB_METHODS.has(target.name)) method = target.name;
    }
  }
  if (!label) return false;
  const first = ((node.arguments as Node[]) ?? [])[0];
  if (!first) return true;
  // `axios.create({ baseURL })`, `ky.create({ prefixUrl })`: a client for any request to that base
  const factory = label.endsWith('.create');
  const urlNode = first.type !== 'ObjectExpression' ? first : factory ? (propertyValue(first, 'baseURL') ?? propertyValue(first, 'prefixUrl')) : propertyValue(first, 'url');
  if (!urlNode) return true;
  const target = urlRefOf(urlNode, scope, 0);
  if (!target.host && !target.envVar && !target.imported) return true;
  // a GET that shows no credential or payload: no route
  if (!factory && carriesNothing(node, urlNode, method)) return true;
  // a gateway's account API (an OAuth key exchange, key information): the host is named, but no LLM call goes there
  if (!factory && target.host && accountApiCall(urlNode, scope)) {
    add(node, { type: 'named-host', name: label, host: target.host }, `${label}(…) to ${target.host}'s account API, not an LLM call`);
    return true;
  }
  const llmPath = LLM_PATH.test(textOf(urlNode));
  add(node, { type: 'fetch', target, llmPath }, `${label}(…) to ${target.host ?? (target.envVar ? `env ${target.envVar}` : 'an imported URL')}`);
  return true;
}

/** A call to a gateway's account API (see `isAccountApiUrl`), its URL written out or built from this file's constants (`${OpenRouterBaseURL}/key`). */
function accountApiCall(urlNode: Node, scope: Scope): boolean {
  const whole = literalText(urlNode, scope, 0);
  return whole !== null ? isAccountApiUrl(whole) : callsAccountApi(urlNode);
}

/** Longer than any URL a server takes (8 KB is a common limit): a text built past it is not spelled out. */
const MAX_URL_TEXT = 8192;

/**
 * The whole text of an expression built only from string literals and the constants they name, or
 * null; null too past `MAX_URL_TEXT`, checked as the text grows, so constants that repeat a long one
 * (a hostile file) cannot build a string of gigabytes.
 */
function literalText(node: Node, scope: Scope, depth: number): string | null {
  if (depth > 4) return null;
  switch (node.type) {
    case 'StringLiteral':
      return (node.value as string).length > MAX_URL_TEXT ? null : (node.value as string);
    case 'TemplateLiteral': {
      const quasis = node.quasis as Node[];
      const expressions = node.expressions as Node[];
      let text = '';
      for (let index = 0; index < quasis.length; index++) {
        text += ((quasis[index] as Node).value as { cooked?: string }).cooked ?? '';
        const expression = expressions[index];
        if (!expression) continue;
        const part = literalText(expression, scope, depth + 1);
        if (part === null || text.length + part.length > MAX_URL_TEXT) return null;
        text += part;
      }
      return text.length > MAX_URL_TEXT ? null : text;
    }
    case 'BinaryExpression': {
      if (node.operator !== '+') return null;
      const left = literalText(node.left as Node, scope, depth + 1);
      const right = left === null ? null : literalText(node.right as Node, scope, depth + 1);
      return left === null || right === null || left.length + right.length > MAX_URL_TEXT ? null : left + right;
    }
    case 'Identifier': {
      const held = heldBy(node.name as string, scope);
      return held.init && !held.ambiguous && held.later.length === 0 ? literalText(held.init, scope, depth + 1) : null;
    }
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
      return literalText(node.expression as Node, scope, depth + 1);
    default:
      return null;
  }
}

/** The literal text of a URL expression (its string parts), for spotting LLM API paths. */
function textOf(node: Node): string {
  if (node.type === 'StringLiteral') return node.value as string;
  if (node.type === 'TemplateLiteral') return (node.quasis as Node[]).map((quasi) => (quasi.value as { cooked?: string }).cooked ?? '').join('');
  if (node.type === 'BinaryExpression') return `${textOf(node.left as Node)}${textOf(node.right as Node)}`;
  // `config.baseURL || 'https://…/v1/chat/completions'`: either side may be the URL
  if (node.type === 'LogicalExpression') return `${textOf(node.left as Node)} ${textOf(node.right as Node)}`;
  return '';
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
  if (parts.length === 0 && baseUrl.computed) return ' with a computed base URL';
  return ` with base URL ${parts.join(' / ') || '(not a literal)'}`;
}

function propertyValue(object: Node, key: string): Node | null {
  for (const prop of object.properties as Node[]) {
    if (prop.type === 'ObjectProperty' && !prop.computed && nameOf(prop.key as Node) === key) return prop.value as Node;
  }
  return null;
}

/**
 * Client options nested in a wrapper's options: LangChain's `new ChatOpenAI({ configuration: {
 * baseURL } })` (@langchain/openai spreads `configuration` into the OpenAI client's options) and
 * `new ChatAnthropic({ clientOptions: { baseURL } })`.
 */
const NESTED_CLIENT_OPTIONS = new Set(['configuration', 'clientOptions']);

/** The options' own properties, then those of client options nested in them (the outer ones come first). */
function clientProperties(options: Node, scope: Scope): Node[] {
  const props = ownProperties(options);
  const nested = props.flatMap((prop) => {
    if (prop.type !== 'ObjectProperty' || prop.computed || !NESTED_CLIENT_OPTIONS.has(nameOf(prop.key as Node) ?? '')) return [];
    const value = prop.value as Node;
    // `configuration: { baseURL }`, or `configuration` built in a variable first (nanobrowser: `configuration.baseURL = providerConfig.baseUrl`),
    // when the name is declared once where it is used
    const object = value.type === 'ObjectExpression' ? value : value.type === 'Identifier' && !heldBy(value.name as string, scope).ambiguous ? objectHeldBy(value, scope) : undefined;
    return object ? ownProperties(object) : [];
  });
  return [...props, ...nested];
}

/** The object's own properties, and those of `...(cond && { … })` / `...{ … }` spreads in it. */
function ownProperties(object: Node): Node[] {
  const props: Node[] = [];
  for (const prop of object.properties as Node[]) {
    if (prop.type !== 'SpreadElement') {
      props.push(prop);
      continue;
    }
    let argument = prop.argument as Node;
    if (argument.type === 'LogicalExpression') argument = argument.right as Node;
    if (argument.type === 'ConditionalExpression') argument = argument.consequent as Node;
    if (argument.type === 'ObjectExpression') props.push(...ownProperties(argument));
  }
  return props;
}

function baseUrlOf(options: Node, scope: Scope): UrlRef | null {
  for (const prop of clientProperties(options, scope)) {
    if (prop.type !== 'ObjectProperty' || prop.computed) continue;
    const key = nameOf(prop.key as Node);
    if (!key || !BASE_URL_KEYS.has(key)) continue;
    const ref = urlRefOf(prop.value as Node, scope, 0);
    return ref.host || ref.envVar || ref.imported || ref.computed ? ref : { host: null, envVar: null };
  }
  return null;
}

const NO_URL: UrlRef = { host: null, envVar: null };

function urlRefOf(node: Node, scope: Scope, depth: number): UrlRef {
  if (depth > 4) return NO_URL;
  switch (node.type) {
    case 'StringLiteral':
      return { host: hostOfUrl(node.value as string), envVar: null };
    case 'TemplateLiteral': {
      const first = ((node.quasis as Node[])[0]?.value as { cooked?: string } | undefined)?.cooked ?? '';
      const expressions = node.expressions as Node[];
      if (first !== '') {
        // `https://bedrock-mantle.${region}.…`: the host is not complete before the first expression;
        // `http://localhost:${port}` is (only the port is computed; `https://user:${token}@…` is not)
        const second = ((node.quasis as Node[])[1]?.value as { cooked?: string } | undefined)?.cooked ?? '';
        const portOnly = /^[a-z]+:\/\/[^/?#:@]+:$/i.test(first) && !/^[^/?#]*@/.test(second);
        const complete = expressions.length === 0 || portOnly || /^[a-z]+:\/\/[^/?#]+[/?#]/i.test(first);
        const host = complete ? hostOfUrl(first) : null;
        return host ? { host, envVar: null } : { host: null, envVar: null, computed: true };
      }
      const lead = expressions[0] ? urlRefOf(expressions[0], scope, depth + 1) : NO_URL;
      // `${something}/v1`: the host is whatever the expression holds
      return lead.host || lead.envVar || lead.imported ? lead : { ...lead, computed: true };
    }
    case 'BinaryExpression':
      return node.operator === '+' ? urlRefOf(node.left as Node, scope, depth + 1) : NO_URL;
    case 'LogicalExpression':
    case 'ConditionalExpression': {
      const parts = [node.left, node.right, node.consequent, node.alternate].filter(isNode).map((part) => urlRefOf(part, scope, depth + 1));
      const imported = parts.find((part) => part.imported)?.imported;
      // `setting || 'https://default'`: the default, and whatever the setting may hold at run time
      const computed = parts.some((part) => part.computed);
      return { host: parts.find((part) => part.host)?.host ?? null, envVar: parts.find((part) => part.envVar)?.envVar ?? null, ...(imported ? { imported } : {}), ...(computed ? { computed } : {}) };
    }
    case 'Identifier': {
      const name = node.name as string;
      const init = heldBy(name, scope).init;
      if (init) return urlRefOf(init, scope, depth + 1);
      const local = scope.locals.get(name);
      if (local) return { host: null, envVar: null, imported: { file: local.file, name: local.name, member: null } };
      return { host: null, envVar: null, computed: true };
    }
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const env = envVarOf(node);
      if (env) return { host: null, envVar: env };
      const object = node.object as Node;
      const key = nameOf(node.property as Node);
      if (object.type === 'Identifier' && key && !node.computed) {
        const init = heldBy(object.name as string, scope).init;
        const value = init?.type === 'ObjectExpression' ? propertyValue(init, key) : null;
        if (value) return urlRefOf(value, scope, depth + 1);
        const local = scope.locals.get(object.name as string);
        if (local) return { host: null, envVar: null, imported: { file: local.file, name: local.name, member: key } };
      }
      return { host: null, envVar: null, computed: true };
    }
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
      return urlRefOf(node.expression as Node, scope, depth + 1);
    default: {
      const env = envVarOf(node);
      return env ? { host: null, envVar: env } : { host: null, envVar: null, computed: true };
    }
  }
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get('X')`. */
export function envVarOf(node: Node): string | null {
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    const object = node.object as Node;
    const key = nameOf(node.property as Node);
    if (key && (object.type === 'MemberExpression' || object.type === 'OptionalMemberExpression') && nameOf(object.property as Node) === 'env') return key;
  }
  if (node.type === 'CallExpression') {
    const callee = node.callee as Node;
    const arg = (node.arguments as Node[])[0];
    if (callee.type === 'MemberExpression' && nameOf(callee.property as Node) === 'get' && nameOf((callee.object as Node).property as Node) === 'env' && arg?.type === 'StringLiteral') return arg.value as string;
  }
  return null;
}

function headersOf(options: Node, scope: Scope): string[] {
  const headers: string[] = [];
  for (const prop of clientProperties(options, scope)) {
    if (prop.type !== 'ObjectProperty' || !HEADER_KEYS.has(nameOf(prop.key as Node) ?? '')) continue;
    const value = prop.value as Node;
    if (value.type !== 'ObjectExpression') continue;
    for (const header of ownProperties(value)) {
      const name = header.type === 'ObjectProperty' ? nameOf(header.key as Node) : null;
      if (name) headers.push(name);
    }
  }
  return headers;
}

/**
 * Header names a gateway is known by. URL literals are not routes by themselves (a docs or
 * privacy link names the same host): only a base URL option, an env value or a fetch target is.
 */
function inspectLiteral(node: Node, catalog: CatalogIndex, add: Add): void {
  let text: string | null = null;
  if (node.type === 'StringLiteral') text = node.value as string;
  else if ((node.type === 'ObjectProperty' || node.type === 'ObjectMethod') && !node.computed && (node.key as Node).type === 'Identifier') text = (node.key as Node).name as string;
  if (text && /^[a-z][a-z0-9-]{3,60}$/i.test(text) && text.includes('-') && catalog.toolByHeader(text)) {
    add(node, { type: 'header', header: text }, `sets header ${text}`);
  }
}

/** Words of a name that say it holds where an API lives (`DEFAULT_OPENROUTER_HOST`, `apiBaseUrl`, `endpoint`). */
const API_BASE_WORDS = new Set(['host', 'url', 'uri', 'base', 'endpoint', 'api']);
/** Words of a name that say it holds a page for people (a docs, sign-up or key-management link), not an API. */
const PAGE_WORDS = new Set(['doc', 'docs', 'link', 'links', 'website', 'site', 'homepage', 'home', 'page', 'href', 'signup', 'login', 'console', 'dashboard', 'pricing', 'key', 'keys', 'settings', 'privacy', 'terms', 'help', 'faq', 'blog', 'image', 'logo', 'icon', 'avatar', 'referer', 'referrer']);

/** `DEFAULT_OPENROUTER_HOST` → default, openrouter, host; `apiBaseUrl` → api, base, url. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.toLowerCase())
    .filter(Boolean);
}

/**
 * `const DEFAULT_OPENROUTER_HOST = 'https://openrouter.ai/api'`, `{ apiHost: 'https://…' }`: a
 * constant or option whose name says it is an API base. Where it is used may not be followed
 * (enricoros/big-AGI builds its request objects in one module and fetches them in another); the
 * classifier lists a gateway named so, and reached by no followed call, as possible.
 */
function inspectApiBase(node: Node, add: Add): void {
  let key: Node | undefined;
  let value: Node | undefined;
  if (node.type === 'VariableDeclarator') [key, value] = [node.id as Node, node.init as Node | undefined];
  else if (node.type === 'ObjectProperty' && !node.computed) [key, value] = [node.key as Node, node.value as Node];
  const name = key ? nameOf(key) : null;
  if (!name || !value) return;
  const text = value.type === 'StringLiteral' ? (value.value as string) : value.type === 'TemplateLiteral' && (value.expressions as Node[]).length === 0 ? textOf(value) : null;
  if (!text) return;
  const words = wordsOf(name);
  if (!words.some((word) => API_BASE_WORDS.has(word)) || words.some((word) => PAGE_WORDS.has(word)) || isAccountApiUrl(text)) return;
  // `api.anthropic.com` as a bare host is a host too, when the name says so
  const host = hostOfUrl(text) ?? (words.includes('host') && /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(text) ? text.toLowerCase() : null);
  if (host) add(node, { type: 'named-host', name, host }, `${name} names the API base ${host}`);
}
