import { childrenOf, isChildKey, isNode, lineOf, nameOf, type Node } from './ast.js';
import type { Choice, Signal } from './types.js';

/**
 * Provider choices: code that calls one of several AI backends depending on a value known only at
 * run time — `switch (provider) { case 'openrouter': … }`, an `if`/`else if` chain or a single test
 * (`if`, `?:`, `&&`) comparing a value with a name, a class of a family of alternatives picked from
 * a registry, an entry registered into one (`defineProvider({ id, createModel })`), or a function
 * or class that only such branches reach (across files, through imports, `require` and
 * re-exports). A route there is offered to whoever picks that provider, not taken by every run.
 *
 * Read per file (`readChoices`), decided once every file is read (`markChoices`). A switch or chain
 * counts as a choice only when at least two of its branches reach AI code (a `switch (req.method)`
 * with one route in it is not a choice between providers); whether a branch's name names the
 * endpoint it reaches (`choiceNames`) is decided where the endpoint is known.
 */

/** A name a module exports or declares: `default`, `*`, or the name. */
export interface ModuleName {
  file: string;
  name: string;
}

interface Branch {
  /** The switch, chain or single test, numbered within its file. */
  selection: number;
  /** How many of the selection's branches must reach AI code for it to be a choice between providers: two for a switch or chain, one for a single test. */
  need: 1 | 2;
  labels: string[];
  line: number;
  /** Picked by the incoming request (`params.provider`): every deployment takes it for whoever asks, so it is no offer. */
  byRequest: boolean;
  /** The branch this one sits in, if any: a test inside a `case` leaves the case's pick in force. */
  outer: Branch | null;
  /** An entry of a provider table kept in a variable (`providerList.openrouter`): taken when the code names it directly. */
  entry?: string;
}

/** Where a node sits: the declaration that owns it and the branch of a choice it is in. */
export interface Place {
  /** The top-level declaration the node sits in (its name), or null for module-level code. */
  owner: string | null;
  branch: Branch | null;
}

interface Use extends Place {
  target: ModuleName;
  /** `X.member` on a module binding: the member, tried before the binding itself. */
  member: string | null;
}

export interface FileChoices {
  file: string;
  declared: Set<string>;
  /** Exported name → the local name it exports. */
  exported: Map<string, string>;
  /** `export * from`: the files whose names this one passes on. */
  starFrom: string[];
  /** Local names bound to project modules (imports, requires, re-exports with a source). */
  imports: Map<string, ModuleName>;
  uses: Use[];
  placed: Array<{ signal: Signal } & Place>;
  /** Top-level classes with the class they extend, for finding families of alternatives (`class OpenRouterProvider extends BaseProvider`). */
  classes: Array<{ name: string; extends: string; line: number; labels: string[] }>;
  /** `name.key` read with a written-out key anywhere in the file: a table entry the code takes directly. */
  namedEntries: Set<string>;
  /** Top-level calls handing a registering function an object (`defineProvider({ id: 'openrouter', createModel: … })`), by the declaration or statement that makes them. */
  registrations: Registration[];
}

/** One top-level `register({ … })` call: who makes it, which function it calls, the names its object gives. */
interface Registration {
  owner: string;
  /** The called function: a project declaration when bound to one, otherwise the name as written. */
  callee: ModuleName | string;
  line: number;
  labels: string[];
}

const MAX_HOPS = 6;
/** How many declarations deep a use is followed (function → caller → …): recursion stays far from the stack's limit. */
const MAX_DEPTH = 64;

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** A choice's name as compared with configuration values: `OPENROUTER`, `openrouter`, `open-router` are one. */
export function choiceKey(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Whether a choice's names name what its branch reaches: a host that contains one
 * (`openrouter` in openrouter.ai, `302.AI` in api.302.ai), or a tool or package name equal to one
 * or contained in it (`vercel-ai-gateway` for the Vercel AI Gateway). A branch named otherwise
 * (`case '/answer':`, a request path) is a feature every deployment serves, not a provider pick.
 */
/** The innermost choice around a route that names what it reaches (without the ones around it), or null. */
export function namingChoice(choice: Choice | undefined, names: { hosts: Array<string | null>; tools: string[] }): Choice | null {
  for (let at = choice; at; at = at.outer) if (choiceNames(at, names)) return { file: at.file, line: at.line, labels: at.labels };
  return null;
}

export function choiceNames(choice: Choice, names: { hosts: Array<string | null>; tools: string[] }): boolean {
  const hosts = names.hosts.flatMap((host) => (host ? [choiceKey(host)] : []));
  const tools = names.tools.map(choiceKey).filter((name) => name.length >= 4);
  return choice.labels.some((label) => {
    const key = choiceKey(label);
    return key.length >= 4 && (hosts.some((host) => host.includes(key)) || tools.some((name) => name === key || key.includes(name)));
  });
}

/** A table entry that holds code, not data: a call, a client, a function, a name (`openrouter: createOpenRouter(…)`, `anthropic`). */
function holdsCode(prop: Node): boolean {
  if (prop.type === 'ObjectMethod') return true;
  const value = prop.value as Node | undefined;
  return value !== undefined && ['CallExpression', 'NewExpression', 'Identifier', 'ArrowFunctionExpression', 'FunctionExpression', 'AwaitExpression'].includes(value.type);
}

/** The keys of nodes that hold names being bound, not used. */
const BINDING_KEYS: Record<string, readonly string[] | undefined> = {
  VariableDeclarator: ['id'],
  FunctionDeclaration: ['id', 'params'],
  FunctionExpression: ['id', 'params'],
  ArrowFunctionExpression: ['params'],
  ObjectMethod: ['params'],
  ClassMethod: ['params'],
  ClassPrivateMethod: ['params'],
  CatchClause: ['param'],
};

/** Marks the statements that only wire exports (`module.exports = { A }`): a name there is not a use. */
const WIRING = '\0wiring';

/** The project file an import specifier names, or null (a package, a file outside the project). */
export type ModuleResolver = (specifier: string) => string | null;

/** What a variable holds where the walk is (the source reader's lookup: the enclosing function's declaration first). */
export type ValueOf = (name: string) => Node | undefined;

/**
 * Walks one parsed file once, top-down: `onNode` sees every node with its place (the source reader
 * collects them there, and files each signal it makes in `placed` with the place of the node it
 * came from), and the walk records what the file declares, exports and uses of the project's other
 * modules.
 */
export function readChoices(file: string, program: Node, moduleOf: ModuleResolver, valueOf: ValueOf, onNode: (node: Node, place: Place) => void): FileChoices {
  const choices: FileChoices = { file, declared: new Set(), exported: new Map(), starFrom: [], imports: new Map(), uses: [], placed: [], classes: [], namedEntries: new Set(), registrations: [] };
  // variables that may hold a provider table: the module's object constants, and tables met on the way
  const tables = new Set<string>();
  const owners = topLevelOwners(program, choices, moduleOf, tables);
  let selections = 0;
  // how many binding patterns the walk is inside
  let bindings = 0;
  // `const apiPath = `/api/${params.provider}``: what a compared name holds tells a request's pick from a setting's
  const picksByRequest = (value: Node | undefined): boolean => value !== undefined && fromRequest(value, valueOf);

  const visit = (node: Node, parent: Node | null, place: Place): void => {
    // only top-level statements and declarators own code
    const owner = parent === program || parent?.type === 'VariableDeclaration' ? owners.get(node) : undefined;
    const here: Place = owner === undefined ? place : { ...place, owner };
    onNode(node, here);
    if (node.type === 'VariableDeclarator') bindRequire(node, choices, moduleOf);
    if (bindings === 0 && here.owner !== WIRING && node.type === 'Identifier' && parent && isReference(node, parent)) recordUse(node, parent, here, choices);
    // `<OpenRouterSettings />` uses the component it names
    if (here.owner !== WIRING && node.type === 'JSXIdentifier' && parent && isJsxReference(node, parent)) recordUse(node, parent, here, choices);
    if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed && (node.object as Node).type === 'Identifier' && tables.has((node.object as Node).name as string)) {
      const key = nameOf(node.property as Node);
      if (key) choices.namedEntries.add(`${(node.object as Node).name as string}.${key}`);
    }
    if (node.type === 'SwitchStatement') return visitSwitch(node, here);
    if (node.type === 'ObjectExpression') return visitTable(node, parent, here);
    if (node.type === 'ConditionalExpression') return visitTest(node, node.consequent as Node, node.alternate as Node, here);
    if (node.type === 'LogicalExpression' && node.operator === '&&') return visitTest(node, node.right as Node, null, here);
    if (node.type === 'IfStatement' && !(parent?.type === 'IfStatement' && parent.alternate === node && chainKey(parent) !== null && chainKey(parent) === chainKey(node))) return visitChain(node, here);
    visitChildren(node, here);
  };

  // written out rather than through a callback: this runs for every node of every file read
  const visitChildren = (node: Node, place: Place): void => {
    const declares = BINDING_KEYS[node.type];
    for (const key of Object.keys(node)) {
      if (!isChildKey(key)) continue;
      const value = node[key];
      // the names a declarator, a function's parameters or a catch clause bind are no uses (`const { A } = require('./a')`)
      const binding = declares !== undefined && declares.includes(key);
      if (binding) bindings++;
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) visit(child, node, place);
      } else if (isNode(value)) {
        visit(value, node, place);
      }
      if (binding) bindings--;
    }
  };

  const visitSwitch = (node: Node, place: Place): void => {
    const cases = (node.cases as Node[]) ?? [];
    const tested = cases.filter((item) => item.test);
    visit(node.discriminant as Node, node, place);
    const selection = tested.length >= 2 ? selections++ : -1;
    const byRequest = picksByRequest(node.discriminant as Node);
    let pending: string[] = [];
    for (const item of cases) {
      onNode(item, place);
      const test = item.test as Node | null;
      if (test) visit(test, item, place);
      const label = test ? labelOf(test) : null;
      if (label) pending.push(label);
      const body = (item.consequent as Node[]) ?? [];
      // `case 'a': case 'b': …` share the body of the last one
      if (body.length === 0) continue;
      const branch: Branch | null = selection >= 0 && test ? { selection, need: 2, labels: pending, line: lineOf(item), byRequest, outer: place.branch } : null;
      for (const child of body) visit(child, item, branch ? { ...place, branch } : place);
      pending = [];
    }
  };

  const visitChain = (head: Node, place: Place): void => {
    const links: Node[] = [];
    const key = chainKey(head);
    let tail: Node | null = head;
    while (tail?.type === 'IfStatement' && key !== null && chainKey(tail) === key) {
      links.push(tail);
      tail = tail.alternate as Node | null;
    }
    if (links.length < 2) return visitTest(head, head.consequent as Node, head.alternate as Node | null, place);
    const selection = selections++;
    const byRequest = picksByRequest(comparedValue(head.test as Node));
    for (const link of links) {
      if (link !== head) onNode(link, place);
      visit(link.test as Node, link, place);
      visit(link.consequent as Node, link, { ...place, branch: { selection, need: 2, labels: [comparedLabel(link.test as Node) ?? '?'], line: lineOf(link), byRequest, outer: place.branch } });
    }
    // the final `else` is the fallback every run without a match takes: not a choice
    if (tail) visit(tail, links[links.length - 1] ?? head, place);
  };

  /**
   * `{ openai: createOpenAI(…), openrouter: createOpenRouter(…) }` read as `providerList[provider]`
   * (mendableai/firecrawl): each entry is a branch named by its key, as a `case` would be.
   */
  const visitTable = (node: Node, parent: Node | null, place: Place): void => {
    if (parent?.type !== 'VariableDeclarator' || parent.init !== node) return visitChildren(node, place);
    const properties = (node.properties as Node[]) ?? [];
    const keyOf = (prop: Node): string | null => ((prop.type === 'ObjectProperty' || prop.type === 'ObjectMethod') && !prop.computed ? nameOf(prop.key as Node) : null);
    // a table of clients or factories kept in a variable, not an options object (`{ baseURL: '…', apiKey }`)
    let entries = 0;
    for (const prop of properties) if (keyOf(prop) !== null && holdsCode(prop)) entries++;
    const isTable = entries >= 2;
    if (!isTable) return visitChildren(node, place);
    const selection = selections++;
    const held = nameOf(parent.id as Node);
    if (held) tables.add(held);
    for (const prop of properties) {
      const key = keyOf(prop);
      if (key === null) {
        visit(prop, node, place);
        continue;
      }
      const branch: Branch = { selection, need: 2, labels: [key], line: lineOf(prop), byRequest: false, outer: place.branch, ...(held ? { entry: `${held}.${key}` } : {}) };
      onNode(prop, place);
      visit(prop.key as Node, prop, place);
      const inside: Place = { ...place, branch };
      if (prop.type === 'ObjectProperty') visit(prop.value as Node, prop, inside);
      else visitChildren({ ...prop, key: null } as Node, inside);
    }
  };

  /** `if (provider === 'x') …`, `provider === 'x' ? … : …`, `provider === 'x' && …`: one branch, taken for one name. */
  const visitTest = (node: Node, taken: Node, otherwise: Node | null, place: Place): void => {
    const test = (node.type === 'LogicalExpression' ? node.left : node.test) as Node;
    // `provider === 'x'`, or one of the conditions all of which must hold (`config && provider === 'x'`)
    const compared = comparisonIn(test);
    if (compared === null) return visitChildren(node, place);
    visit(test, node, place);
    visit(taken, node, { ...place, branch: { selection: selections++, need: 1, labels: [comparedLabel(compared) ?? '?'], line: lineOf(node), byRequest: picksByRequest(comparedValue(compared)), outer: place.branch } });
    if (otherwise) visit(otherwise, node, place);
  };

  visit(program, null, { owner: null, branch: null });
  return choices;
}

/** Which top-level statements (or declarators) own the code inside them, and what the file declares and exports. */
function topLevelOwners(program: Node, choices: FileChoices, moduleOf: ModuleResolver, tables: Set<string>): Map<Node, string | null> {
  const owners = new Map<Node, string | null>();
  const declare = (node: Node, name: string) => {
    choices.declared.add(name);
    owners.set(node, name);
  };
  for (const statement of (program.body as Node[]) ?? []) {
    let inner = statement;
    if (statement.type === 'ImportDeclaration') {
      bindImport(statement, choices, moduleOf);
      continue;
    }
    if (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') {
      const declaration = statement.declaration as Node | null;
      if (statement.type === 'ExportNamedDeclaration' && !declaration) {
        wireSpecifiers(statement, choices, moduleOf);
        owners.set(statement, WIRING);
        continue;
      }
      if (!declaration) continue;
      if (statement.type === 'ExportDefaultDeclaration') {
        const id = nameOf(declaration.id as Node | undefined) ?? (declaration.type === 'Identifier' ? (declaration.name as string) : null);
        if (declaration.type === 'Identifier') {
          choices.exported.set('default', declaration.name as string);
          owners.set(statement, WIRING);
          continue;
        }
        choices.exported.set('default', id ?? 'default');
        declare(statement, id ?? 'default');
        if (declaration.type === 'ClassDeclaration' && id) recordClass(declaration, id, choices);
        continue;
      }
      inner = declaration;
    }
    if (statement.type === 'ExportAllDeclaration') {
      const from = moduleOf((statement.source as Node).value as string);
      if (from) choices.starFrom.push(from);
      continue;
    }
    if ((inner.type === 'FunctionDeclaration' || inner.type === 'ClassDeclaration' || inner.type === 'TSEnumDeclaration') && nameOf(inner.id as Node)) {
      const name = nameOf(inner.id as Node) as string;
      if (inner.type === 'ClassDeclaration') recordClass(inner, name, choices);
      declare(statement, name);
      if (inner !== statement) choices.exported.set(name, name);
      continue;
    }
    if (inner.type === 'VariableDeclaration') {
      for (const declarator of (inner.declarations as Node[]) ?? []) {
        const name = nameOf(declarator.id as Node);
        // `const X = require('./x')` binds another module's name; it declares nothing of this one
        if (!name || bindRequire(declarator, choices, moduleOf)) continue;
        if ((declarator.init as Node | null)?.type === 'ObjectExpression') tables.add(name);
        declare(declarator, name);
        recordRegistration(declarator.init as Node | null, name, [name], choices);
        if (inner !== statement) choices.exported.set(name, name);
      }
      continue;
    }
    if (statement.type === 'ExpressionStatement') {
      wireCommonJs(statement, owners, choices, moduleOf);
      // `defineProvider({ … })` made for its effect: the statement owns the code it registers
      const owner = `${REGISTRATION}${choices.registrations.length}`;
      if (!owners.has(statement) && recordRegistration(statement.expression as Node, owner, [], choices)) owners.set(statement, owner);
    }
  }
  return owners;
}

/** Owners of top-level registering calls that declare nothing (`defineProvider({ … });`). */
const REGISTRATION = '\0registration:';
/** The members of a registered object that name it. */
const REGISTRATION_NAMES = new Set(['id', 'name']);

/**
 * `register({ id: 'openrouter', … })` at the top level: a call of a named function whose first
 * argument is an object literal. Whether the calls of one function make a registry of
 * alternatives is decided once every file is read. True when recorded.
 */
function recordRegistration(node: Node | null, owner: string, labels: string[], choices: FileChoices): boolean {
  const call = node?.type === 'AwaitExpression' ? (node.argument as Node) : node;
  const callee = call?.type === 'CallExpression' ? (call.callee as Node) : null;
  const object = ((call?.arguments as Node[] | undefined) ?? [])[0];
  if (!call || callee?.type !== 'Identifier' || object?.type !== 'ObjectExpression') return false;
  const given = new Set<string>();
  for (const prop of (object.properties as Node[]) ?? []) {
    const key = prop.type === 'ObjectProperty' && !prop.computed ? nameOf(prop.key as Node) : null;
    const label = key && REGISTRATION_NAMES.has(key) ? labelOf(prop.value as Node) : null;
    if (label) given.add(label);
  }
  const name = callee.name as string;
  // the names the object gives are what the registry is searched by; the variable's name only when it gives none
  const names = given.size > 0 ? [...given] : labels;
  choices.registrations.push({ owner, callee: choices.imports.get(name) ?? (choices.declared.has(name) ? { file: choices.file, name } : name), line: lineOf(call), labels: names });
  return true;
}

/** `import A from './a'`, `import { B as C } from './b'`, `import * as D from './d'`. */
function bindImport(statement: Node, choices: FileChoices, moduleOf: ModuleResolver): void {
  if (statement.importKind === 'type') return;
  const file = moduleOf((statement.source as Node).value as string);
  if (!file) return;
  for (const spec of (statement.specifiers as Node[]) ?? []) {
    const local = nameOf(spec.local as Node);
    const name = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : nameOf(spec.imported as Node);
    if (local && name) choices.imports.set(local, { file, name });
  }
}

/** `const X = require('./x')` and `const { A, B: C } = require('./x')`; true when it bound a project module. */
function bindRequire(declarator: Node, choices: FileChoices, moduleOf: ModuleResolver): boolean {
  const init = declarator.init as Node | null;
  const specifier = init ? requireOf(init.type === 'AwaitExpression' ? (init.argument as Node) : init) : null;
  const file = specifier ? moduleOf(specifier) : null;
  if (!file) return false;
  const id = declarator.id as Node;
  if (id.type === 'Identifier') choices.imports.set(id.name as string, { file, name: 'default' });
  else if (id.type === 'ObjectPattern') {
    for (const prop of (id.properties as Node[]) ?? []) {
      const name = prop.type === 'ObjectProperty' && !prop.computed ? nameOf(prop.key as Node) : null;
      const local = prop.type === 'ObjectProperty' ? nameOf(prop.value as Node) : null;
      if (name && local) choices.imports.set(local, { file, name });
    }
  }
  return true;
}

/** A class that extends another, with the names it goes by: its own and a `name = 'OpenRouter'` field. */
function recordClass(node: Node, name: string, choices: FileChoices): void {
  const base = node.superClass ? pathOf(node.superClass as Node) : null;
  if (!base) return;
  const labels = [name];
  for (const member of ((node.body as Node | undefined)?.body as Node[] | undefined) ?? []) {
    const value = member.value as Node | null | undefined;
    if (member.type === 'ClassProperty' && !member.computed && nameOf(member.key as Node) === 'name' && value?.type === 'StringLiteral') labels.push(value.value as string);
  }
  choices.classes.push({ name, extends: base, line: lineOf(node), labels });
}

/** `export { A as B }` and `export { A as B } from './x'`. */
function wireSpecifiers(statement: Node, choices: FileChoices, moduleOf: ModuleResolver): void {
  const source = (statement.source as Node | null)?.value as string | undefined;
  const from = source ? moduleOf(source) : null;
  for (const spec of (statement.specifiers as Node[]) ?? []) {
    const local = nameOf(spec.local as Node);
    const exported = nameOf(spec.exported as Node) ?? local;
    if (!local || !exported) continue;
    if (source) {
      if (!from) continue;
      const alias = `\0re:${exported}`;
      choices.imports.set(alias, { file: from, name: spec.type === 'ExportNamespaceSpecifier' ? '*' : local });
      choices.exported.set(exported, alias);
    } else {
      choices.exported.set(exported, local);
    }
  }
}

/** `module.exports = X`, `module.exports = { A, B: require('./b') }`, `exports.A = function () {}`. */
function wireCommonJs(statement: Node, owners: Map<Node, string | null>, choices: FileChoices, moduleOf: ModuleResolver): void {
  const assignment = statement.expression as Node;
  if (assignment.type !== 'AssignmentExpression' || assignment.operator !== '=') return;
  const exported = commonJsTarget(assignment.left as Node);
  if (!exported) return;
  const value = assignment.right as Node;
  if (value.type === 'Identifier') {
    choices.exported.set(exported, value.name as string);
    owners.set(statement, WIRING);
    return;
  }
  const required = requireOf(value);
  if (required) {
    wireRequire(exported, required, choices, moduleOf);
    owners.set(statement, WIRING);
    return;
  }
  if (exported === 'default' && value.type === 'ObjectExpression') {
    for (const prop of (value.properties as Node[]) ?? []) {
      const key = prop.type === 'ObjectProperty' && !prop.computed ? nameOf(prop.key as Node) : null;
      const inner = prop.value as Node | undefined;
      if (!key || !inner) continue;
      if (inner.type === 'Identifier') choices.exported.set(key, inner.name as string);
      else if (requireOf(inner)) wireRequire(key, requireOf(inner) as string, choices, moduleOf);
    }
    owners.set(statement, WIRING);
    return;
  }
  // `module.exports = class { … }`, `exports.handler = async () => …`: a declaration of its own
  choices.declared.add(exported);
  choices.exported.set(exported, exported);
  owners.set(statement, exported);
}

function wireRequire(exported: string, specifier: string, choices: FileChoices, moduleOf: ModuleResolver): void {
  const from = moduleOf(specifier);
  if (!from) return;
  const alias = `\0re:${exported}`;
  choices.imports.set(alias, { file: from, name: 'default' });
  choices.exported.set(exported, alias);
}

/** `module.exports` → `default`; `module.exports.A` / `exports.A` → `A`. */
function commonJsTarget(left: Node): string | null {
  if (left.type !== 'MemberExpression' || left.computed) return null;
  const object = left.object as Node;
  const property = nameOf(left.property as Node);
  if (object.type === 'Identifier' && object.name === 'module' && property === 'exports') return 'default';
  if (object.type === 'Identifier' && object.name === 'exports') return property;
  if (object.type === 'MemberExpression' && commonJsTarget(object) === 'default') return property;
  return null;
}

function requireOf(node: Node): string | null {
  const callee = node.callee as Node | undefined;
  const arg = ((node.arguments as Node[] | undefined) ?? [])[0];
  return node.type === 'CallExpression' && callee?.type === 'Identifier' && callee.name === 'require' && arg?.type === 'StringLiteral' ? (arg.value as string) : null;
}

function recordUse(node: Node, parent: Node, place: Place, choices: FileChoices): void {
  const name = node.name as string;
  const bound = choices.imports.get(name);
  const member = (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === node && !parent.computed ? nameOf(parent.property as Node) : null;
  if (bound) choices.uses.push({ target: bound, member, ...place });
  else if (choices.declared.has(name) && place.owner !== name) choices.uses.push({ target: { file: choices.file, name }, member: null, ...place });
}

/** `<Settings />` and `<Settings.Panel />` name the component `Settings`; attribute names and closing tags do not count. */
function isJsxReference(node: Node, parent: Node): boolean {
  return (parent.type === 'JSXOpeningElement' && parent.name === node) || (parent.type === 'JSXMemberExpression' && parent.object === node);
}

/** Whether an identifier names a value here, rather than declaring, labelling or typing one. */
function isReference(node: Node, parent: Node): boolean {
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.object === node || parent.computed === true;
    case 'ObjectProperty':
    case 'ClassProperty':
    case 'ClassMethod':
    case 'ObjectMethod':
    case 'ClassPrivateProperty':
      return parent.value === node || (parent.computed === true && parent.key === node);
    case 'VariableDeclarator':
      return parent.init === node;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassDeclaration':
    case 'ClassExpression':
      return parent.body === node || parent.superClass === node;
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportSpecifier':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'CatchClause':
      return false;
    default:
      return !parent.type.startsWith('TS') || parent.type === 'TSAsExpression' || parent.type === 'TSNonNullExpression' || parent.type === 'TSSatisfiesExpression';
  }
}

/** The value an `if` compares with a name (`provider === 'openrouter'`), as text; null when it is not such a comparison. */
function chainKey(node: Node): string | null {
  return equalityKey(node.test as Node | undefined);
}

/** The comparison with a name among conditions joined by `&&` (each must hold for the branch to run); null when there is none. */
function comparisonIn(test: Node, depth = 0): Node | null {
  if (equalityKey(test) !== null) return test;
  if (test.type !== 'LogicalExpression' || test.operator !== '&&' || depth > 8) return null;
  return comparisonIn(test.left as Node, depth + 1) ?? comparisonIn(test.right as Node, depth + 1);
}

function equalityKey(test: Node | undefined): string | null {
  if (!test || test.type !== 'BinaryExpression' || (test.operator !== '===' && test.operator !== '==')) return null;
  const left = test.left as Node;
  const right = test.right as Node;
  if (labelOf(right) !== null && isConstant(right)) return pathOf(left);
  if (labelOf(left) !== null && isConstant(left)) return pathOf(right);
  return null;
}

/** The side of `provider === 'openrouter'` that holds the value compared. */
function comparedValue(test: Node): Node | undefined {
  return isConstant(test.right as Node) ? (test.left as Node) : (test.right as Node);
}

/** Where a handler finds what the request carries: its URL's route parameters, its query, its body. */
const REQUEST_NAMES = new Set(['req', 'request', 'params', 'query', 'body', 'searchParams', 'nextUrl']);
/** How much of an expression is read, and how many variables are followed, when telling where a value comes from. */
const REQUEST_SCAN_NODES = 200;
const REQUEST_SCAN_DEPTH = 3;

/** Whether a value is (built from) the incoming request: `params.provider`, `req.body.provider`, `c.req.param('p')`, a variable holding one. */
function fromRequest(value: Node, valueOf: ValueOf): boolean {
  // one budget for the whole look, variables followed included: a hostile file cannot make it long
  let budget = REQUEST_SCAN_NODES;
  const scan = (node: Node, depth: number): boolean => {
    if (budget-- <= 0) return false;
    if (node.type === 'Identifier') {
      const name = node.name as string;
      if (REQUEST_NAMES.has(name)) return true;
      const held = valueOf(name);
      return held !== undefined && depth < REQUEST_SCAN_DEPTH && scan(held, depth + 1);
    }
    if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
      if (!node.computed && REQUEST_NAMES.has(nameOf(node.property as Node) ?? '')) return true;
      return scan(node.object as Node, depth) || (node.computed === true && scan(node.property as Node, depth));
    }
    return childrenOf(node).some((child) => scan(child, depth));
  };
  return scan(value, 0);
}

function comparedLabel(test: Node): string | null {
  const right = test.right as Node;
  return isConstant(right) ? labelOf(right) : labelOf(test.left as Node);
}

/** A name a branch is chosen by: `'openrouter'`, `Provider.OPENROUTER`, `ApiPath['302.AI']`. */
function labelOf(node: Node): string | null {
  if (node.type === 'StringLiteral' || node.type === 'NumericLiteral') return String(node.value);
  if (node.type === 'TemplateLiteral' && ((node.expressions as Node[]) ?? []).length === 0) return (((node.quasis as Node[])[0]?.value as { cooked?: string } | undefined)?.cooked ?? null);
  if (node.type === 'MemberExpression') return node.computed ? nameOf(node.property as Node) : nameOf(node.property as Node);
  if (node.type === 'Identifier') return node.name as string;
  return null;
}

/** A literal, or an enum-like member (`Provider.OPENAI`, `ApiPath['302.AI']`): a name, not the value compared. */
function isConstant(node: Node): boolean {
  if (node.type === 'StringLiteral' || node.type === 'NumericLiteral' || node.type === 'TemplateLiteral') return true;
  if (node.type !== 'MemberExpression') return false;
  const object = node.object as Node;
  return object.type === 'Identifier' && /^[A-Z]/.test(object.name as string);
}

/** `provider`, `config.provider`, `process.env.LLM_PROVIDER` as text; null for anything computed. */
function pathOf(node: Node): string | null {
  if (node.type === 'Identifier') return node.name as string;
  if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed) {
    const object = pathOf(node.object as Node);
    const property = nameOf(node.property as Node);
    return object && property ? `${object}.${property}` : null;
  }
  return null;
}

/**
 * Marks every signal whose code runs only for one provider choice: its `choice` says where the
 * choice is made (the first branch found that reaches it). `modules` are every parsed file's choices.
 */
export function markChoices(modules: Map<string, FileChoices>): void {
  const key = (file: string, name: string) => `${file}\0${name}`;
  const resolved = new Map<string, ModuleName | null>();
  const resolve = (target: ModuleName, hops = 0): ModuleName | null => {
    const id = key(target.file, target.name);
    if (resolved.has(id)) return resolved.get(id) ?? null;
    resolved.set(id, null);
    const result = resolveOnce(target, hops);
    resolved.set(id, result);
    return result;
  };
  const resolveOnce = (target: ModuleName, hops: number): ModuleName | null => {
    const module = modules.get(target.file);
    if (!module || hops > MAX_HOPS || target.name === '*') return null;
    const local = module.exported.get(target.name) ?? (target.name === 'default' ? undefined : target.name);
    if (local !== undefined && module.declared.has(local)) return { file: module.file, name: local };
    const bound = local !== undefined ? module.imports.get(local) : undefined;
    if (bound) return resolve(bound, hops + 1);
    for (const from of module.starFrom) {
      const found = resolve({ file: from, name: target.name }, hops + 1);
      if (found) return found;
    }
    return null;
  };

  // every use, by the declaration it reaches
  const usesOf = new Map<string, Array<Use & { file: string }>>();
  const usedBy = new Map<string, Array<{ target: string }>>();
  const branchesOf = new Map<string, Array<{ branch: Branch; target: string | null; signal: boolean }>>();
  const selectionId = (file: string, branch: Branch) => `${file}\0${branch.selection}`;
  for (const module of modules.values()) {
    for (const use of module.uses) {
      const target = (use.member ? resolve({ file: use.target.file, name: use.member }) : null) ?? resolve(use.target);
      if (!target) continue;
      const id = key(target.file, target.name);
      listIn(usesOf, id).push({ ...use, file: module.file });
      if (use.owner && use.owner !== WIRING) listIn(usedBy, key(module.file, use.owner)).push({ target: id });
      if (use.branch) listIn(branchesOf, selectionId(module.file, use.branch)).push({ branch: use.branch, target: id, signal: false });
    }
    for (const placed of module.placed) {
      if (placed.branch) listIn(branchesOf, selectionId(module.file, placed.branch)).push({ branch: placed.branch, target: null, signal: true });
    }
  }

  // declarations that hold AI code (a signal), themselves or through what they use
  const holdsSignal = new Set<string>();
  for (const module of modules.values()) for (const placed of module.placed) if (placed.owner && placed.owner !== WIRING) holdsSignal.add(key(module.file, placed.owner));
  const reachesAi = new Map<string, boolean>();
  const leadsToAi = (id: string, depth = 0): boolean => {
    const known = reachesAi.get(id);
    if (known !== undefined) return known;
    // a call chain deeper than any real provider wiring: not followed (the route stays observed)
    if (depth > MAX_DEPTH) return false;
    reachesAi.set(id, false);
    const result = holdsSignal.has(id) || (usedBy.get(id) ?? []).some((use) => leadsToAi(use.target, depth + 1));
    reachesAi.set(id, result);
    return result;
  };
  // a switch or chain is a provider choice when two or more of its branches reach AI code
  const isChoice = new Map<string, boolean>();
  for (const [selection, entries] of branchesOf) {
    const reaching = new Set(entries.filter((entry) => entry.signal || (entry.target !== null && leadsToAi(entry.target))).map((entry) => entry.branch.line));
    isChoice.set(selection, reaching.size >= (entries[0]?.branch.need ?? 2));
  }
  // a family of alternatives: three or more classes extending one base, two or more of them holding AI code
  // (bolt.diy's `class OpenRouterProvider extends BaseProvider`, one per provider, picked from a registry by name)
  const families = new Map<string, Array<{ file: string; name: string; line: number; labels: string[] }>>();
  for (const module of modules.values()) for (const item of module.classes) listIn(families, item.extends).push({ file: module.file, ...item });
  const alternatives = new Map<string, Choice>();
  for (const members of families.values()) {
    if (members.length < 3 || members.filter((member) => holdsSignal.has(key(member.file, member.name))).length < 2) continue;
    for (const member of members) alternatives.set(key(member.file, member.name), { file: member.file, line: member.line, labels: member.labels });
  }
  // a registry of alternatives: three or more top-level calls of one function, each handing it an
  // object, two or more of them holding AI code (chatbox's `defineProvider({ id, createModel: () => new OpenRouter(…) })`
  // in one file per provider, picked later by id)
  const registries = new Map<string, Array<{ file: string } & Registration>>();
  for (const module of modules.values()) {
    for (const registration of module.registrations) {
      const callee = typeof registration.callee === 'string' ? null : resolve(registration.callee);
      const group = callee ? key(callee.file, callee.name) : typeof registration.callee === 'string' ? `\0name:${registration.callee}` : null;
      if (group) listIn(registries, group).push({ file: module.file, ...registration });
    }
  }
  for (const members of registries.values()) {
    if (members.length < 3 || members.filter((member) => leadsToAi(key(member.file, member.owner))).length < 2) continue;
    for (const member of members) alternatives.set(key(member.file, member.owner), { file: member.file, line: member.line, labels: member.labels });
  }
  // the nearest branch that is a provider choice, with the ones around it (which of them names the endpoint is decided where the endpoint is known)
  const choiceOf = (file: string, branch: Branch | null): Choice | null => {
    for (let at = branch; at; at = at.outer) {
      const taken = at.byRequest || !isChoice.get(selectionId(file, at)) || (at.entry !== undefined && modules.get(file)?.namedEntries.has(at.entry));
      if (taken) continue;
      const outer = choiceOf(file, at.outer);
      return { file, line: at.line, labels: at.labels, ...(outer ? { outer } : {}) };
    }
    return null;
  };

  // a declaration is offered when every use of it sits in a choice, or in a declaration that is itself offered
  const offered = new Map<string, Choice | null>();
  const offeredChoice = (id: string, depth = 0): Choice | null => {
    if (offered.has(id)) return offered.get(id) ?? null;
    if (depth > MAX_DEPTH) return null;
    offered.set(id, null);
    const uses = usesOf.get(id) ?? [];
    // an alternative nothing names directly is reached through its registry, by the name picked
    if (uses.length === 0) {
      const alternative = alternatives.get(id) ?? null;
      offered.set(id, alternative);
      return alternative;
    }
    let first: Choice | null = null;
    for (const use of uses) {
      const choice = choiceOf(use.file, use.branch) ?? (use.owner && use.owner !== WIRING && key(use.file, use.owner) !== id ? offeredChoice(key(use.file, use.owner), depth + 1) : null);
      if (!choice) return null;
      first ??= choice;
    }
    offered.set(id, first);
    return first;
  };

  for (const module of modules.values()) {
    for (const placed of module.placed) {
      const choice = choiceOf(module.file, placed.branch) ?? (placed.owner && placed.owner !== WIRING ? offeredChoice(key(module.file, placed.owner)) : null);
      if (choice) placed.signal.choice = choice;
    }
  }
}
