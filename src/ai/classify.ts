import type { LockedPackage } from '../inventory/model.js';
import type { AiAnswerName, AiConfidence, AiHosting, AiRoute, AiToolEvidence, AiToolReport } from './model.js';
import type { AiTier } from '../model/tier.js';
import { hostOfEndpoint, type AiRole, type CatalogIndex, type CatalogMode, type CatalogTool, type ToolAnswers } from './catalog.js';
import { compromisedRelease } from './compromised.js';
import { inferAnswers } from './infer.js';
import { isDirectProviderHost, isSelfHostedHost } from './hosts.js';
import { EndpointBook, type EndpointTarget } from './endpoints.js';
import { looksLikeAiTool, packageSignals, type PackageEvidence } from './evidence/package.js';
import type { Choice, Fact, ImageRef, Signal, UrlRef } from './evidence/types.js';
import { choiceKey, namingChoice } from './evidence/choices.js';
import { offeredEvidence } from './offered.js';

/** Answers a tool of each role has when the catalog gives none for the package. */
export const ROLE_DEFAULTS: Record<AiRole, ToolAnswers> = {
  'gateway-server': { requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'none', singlePointOfFailure: true },
  'gateway-client': { requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'default', singlePointOfFailure: true },
  'in-process-wrapper': { requestPath: 'in-process', handlesKeys: 'none', sendsPrompts: 'default', singlePointOfFailure: false },
  'otel-instrumentation': { requestPath: 'in-process', handlesKeys: 'none', sendsPrompts: 'default', singlePointOfFailure: false },
  'passive-metadata': { requestPath: 'none', handlesKeys: 'none', sendsPrompts: 'none', singlePointOfFailure: false },
  'cost-calculator': { requestPath: 'none', handlesKeys: 'none', sendsPrompts: 'none', singlePointOfFailure: false },
  'provider-sdk': { requestPath: 'in-process', handlesKeys: 'in-process', sendsPrompts: 'none', singlePointOfFailure: false },
  framework: { requestPath: 'in-process', handlesKeys: 'in-process', sendsPrompts: 'none', singlePointOfFailure: false },
};

/** A gateway container or Python gateway package, for `ai-gateway-image-unpinned`. */
export interface GatewayDeployment {
  tool: string;
  kind: 'image' | 'python';
  /** The image or requirement as written. */
  ref: string;
  name: string;
  /** `digest`: immutable; `exact`: an exact version or a lock entry; `version-tag`: a version-looking tag without digest; `mutable`: a moving tag, no tag or a range. */
  pinning: 'digest' | 'exact' | 'version-tag' | 'mutable';
  /** Set when the referenced version is a known-compromised release. */
  compromised: string | null;
  file: string;
  line: number | null;
}

export interface AiAnalysis {
  tools: AiToolReport[];
  deployments: GatewayDeployment[];
}

export interface ClassifyInput {
  packages: LockedPackage[];
  catalog: CatalogIndex;
  /** Source, config and deploy signals. */
  signals: Signal[];
  /** Tarball evidence, for catalogued and candidate packages. */
  packageEvidence: PackageEvidence[];
  /** Packages whose tarball could not be read. */
  unread?: Array<{ name: string; version: string; message: string }>;
}

/** Catalog defaults, then what the project and the packages show: the four answers per AI tool, each with how it is known, and a row per endpoint the calls go through. */
export function classify(input: ClassifyInput): AiAnalysis {
  const context = new Context(input);
  const tools: AiToolReport[] = [];
  const imported = importedInstances(input.packages);
  for (const pkg of input.packages) {
    const match = input.catalog.lookupRelease(pkg.name, pkg.version);
    if (match) tools.push(packageTool(pkg, match.tool, match.role, match.package.defaults, context, imported.has(pkg)));
  }
  for (const evidence of input.packageEvidence) {
    if (!input.catalog.lookupRelease(evidence.name, evidence.version) && looksLikeAiTool(evidence, input.catalog)) tools.push(unknownTool(evidence, input.catalog));
  }
  const deployments = gatewayDeployments(input.signals, input.catalog);
  httpRoutes(context);
  namedGateways(context);
  tools.push(...deployedTools(input.signals, deployments, context), ...context.book.rows((choice) => context.pickOf(choice)));
  return { tools, deployments };
}

/**
 * The instance the project's own `import 'x'` resolves to: the directly declared one when a
 * name is locked at several versions (a nested copy serves only the package that nests it).
 */
function importedInstances(packages: LockedPackage[]): Set<LockedPackage> {
  const byName = new Map<string, LockedPackage[]>();
  for (const pkg of packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  const chosen = new Set<LockedPackage>();
  for (const group of byName.values()) {
    const direct = group.filter((pkg) => pkg.direct);
    for (const pkg of direct.length > 0 ? direct : group) chosen.add(pkg);
  }
  return chosen;
}

const ANSWERS: AiAnswerName[] = ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'];
/** Call sites listed as routes of one package's default endpoint; the rest are counted in the evidence. */
const MAX_ROUTES_PER_PACKAGE = 20;
/** An SDK's own base-URL variable (`OPENAI_BASE_URL`): set in the environment, it routes every call of a client built without `baseURL`. */
const BASE_URL_VAR = /(?:_BASE_URL|_BASEURL|_API_BASE)$/;

class Context {
  readonly catalog: CatalogIndex;
  readonly signals: Signal[];
  readonly envUrls = new Map<string, Array<{ host: string; signal: Signal }>>();
  readonly envNames = new Map<string, Signal>();
  readonly envFlags = new Map<string, boolean>();
  /** One-word values of non-secret variables (choice keys), for the provider choices they pick. */
  readonly envWords = new Map<string, Signal>();
  /** Compose/Kubernetes service names running a gateway image → the tool. */
  readonly gatewayServices = new Map<string, CatalogTool>();
  readonly byPackage = new Map<string, Signal[]>();
  readonly evidence = new Map<string, PackageEvidence>();
  readonly unread = new Map<string, string>();
  readonly book = new EndpointBook();

  constructor(input: ClassifyInput) {
    this.catalog = input.catalog;
    this.signals = input.signals;
    for (const evidence of input.packageEvidence) this.evidence.set(`${evidence.name}@${evidence.version}`, evidence);
    for (const failure of input.unread ?? []) this.unread.set(`${failure.name}@${failure.version}`, failure.message);
    for (const signal of input.signals) {
      const { fact } = signal;
      if (fact.type === 'env-url') {
        const known = this.envUrls.get(fact.name) ?? [];
        if (!known.some((item) => item.host === fact.host)) known.push({ host: fact.host, signal });
        this.envUrls.set(fact.name, known);
      }
      if (fact.type === 'env-var' && !this.envNames.has(fact.name)) this.envNames.set(fact.name, signal);
      if (fact.type === 'env-flag') this.envFlags.set(fact.name, fact.value);
      if (fact.type === 'env-word' && !this.envWords.has(fact.word)) this.envWords.set(fact.word, signal);
      if (fact.type === 'image' && fact.service) {
        const tool = input.catalog.toolByImage(fact.image.repository);
        if (tool) this.gatewayServices.set(fact.service.toLowerCase(), tool);
      }
      const pkg = 'pkg' in fact ? fact.pkg : null;
      if (pkg && signal.kind === 'source') this.byPackage.set(pkg, [...(this.byPackage.get(pkg) ?? []), signal]);
    }
  }

  sourceSignals(pkg: string): Signal[] {
    return this.byPackage.get(pkg) ?? [];
  }

  /** Where a configured base URL leads, one target per host it can hold; `unresolved` names what could not be followed. */
  resolve(baseUrl: UrlRef, owner: CatalogTool | null): { targets: Array<{ target: EndpointTarget; evidence: Signal[] }>; unresolved: string | null } {
    // `process.env.X || 'https://default'`: the variable where a file sets it, and the default
    const fromEnv = baseUrl.envVar ? (this.envUrls.get(baseUrl.envVar) ?? []) : [];
    const targets = fromEnv.map(({ host, signal }) => ({ target: this.target(host, owner), evidence: [signal] }));
    if (baseUrl.host) {
      targets.unshift({ target: this.target(baseUrl.host, owner), evidence: [] });
      // a default beside a setting the analysis cannot follow (a parameter, a user's choice) may be overridden
      return { targets, unresolved: baseUrl.computed ? `a setting computed at run time that can override its default (${baseUrl.host})` : null };
    }
    if (targets.length > 0) return { targets, unresolved: null };
    const unresolved = baseUrl.envVar ? `${baseUrl.envVar}, which no .env or deployment file sets` : baseUrl.computed || baseUrl.imported ? 'a value computed at run time' : null;
    return { targets: [], unresolved };
  }

  target(host: string, owner: CatalogTool | null): EndpointTarget {
    const tools = this.catalog.toolsByHost(host);
    if (owner && tools.includes(owner) && owner.role !== 'gateway-server' && owner.tier !== 'gateway') return { tool: owner, host, hosting: 'vendor', direct: true, label: `${owner.name} API (${host})` };
    if (this.catalog.isProviderHost(host) || isDirectProviderHost(host)) {
      const provider = tools.find((tool) => tool.tier === 'provider-sdk') ?? null;
      return { tool: provider, host, hosting: 'vendor', direct: true, label: `${provider ? `${provider.vendor} API` : 'provider API'} (${host})` };
    }
    const gateway = tools.find((tool) => tool.tier === 'gateway') ?? tools[0] ?? null;
    if (gateway) return { tool: gateway, host, hosting: isSelfHostedHost(host) ? 'self-hosted' : 'vendor', direct: false, label: `${gateway.name} (${host})` };
    const service = this.gatewayServices.get(host);
    if (service) return { tool: service, host, hosting: 'self-hosted', direct: false, label: `${service.name} (self-hosted, ${host})` };
    if (owner?.tier === 'gateway') return { tool: owner, host, hosting: 'self-hosted', direct: false, label: `${owner.name} (self-hosted, ${host})` };
    const hosting: AiHosting = isSelfHostedHost(host) ? 'self-hosted' : 'unknown';
    return { tool: null, host, hosting, direct: false, label: hosting === 'self-hosted' ? `a self-hosted endpoint (${host})` : `an uncatalogued host (${host})` };
  }

  /** The env or deployment setting that picks a provider choice (`LLM_PROVIDER=openrouter` for `case 'openrouter'`). */
  pickOf(choice: Choice): { label: string; signal: Signal } | null {
    for (const label of choice.labels) {
      const signal = this.envWords.get(choiceKey(label));
      if (signal) return { label, signal };
    }
    return null;
  }

  /** A key or token variable of the tool set in the project's config: the project configures the tool. */
  configuredBy(tool: CatalogTool): Signal | null {
    for (const name of tool.envVars) {
      if (!/KEY|TOKEN/.test(name)) continue;
      const signal = this.envNames.get(name);
      if (signal) return signal;
    }
    return null;
  }
}

class Answers {
  requestPath: ToolAnswers['requestPath'];
  handlesKeys: ToolAnswers['handlesKeys'];
  sendsPrompts: ToolAnswers['sendsPrompts'];
  singlePointOfFailure: boolean | null;
  hosting: AiHosting | null = null;
  /** The project points the tool at a host outside its catalogued endpoints. */
  elsewhere = false;
  readonly via: string[] = [];
  readonly reaches: string[] = [];
  readonly unresolved: AiRoute[] = [];
  readonly evidence: AiToolEvidence[] = [];
  readonly confidence: Record<AiAnswerName, AiConfidence>;

  constructor(defaults: ToolAnswers, confidence: AiConfidence) {
    this.requestPath = defaults.requestPath;
    this.handlesKeys = defaults.handlesKeys;
    this.sendsPrompts = defaults.sendsPrompts;
    this.singlePointOfFailure = defaults.singlePointOfFailure;
    this.confidence = { requestPath: confidence, handlesKeys: confidence, sendsPrompts: confidence, singlePointOfFailure: confidence };
  }

  /** Sets answers the project's own code, config or deployment shows: they become `observed`. */
  set(answers: Partial<ToolAnswers>): AiAnswerName[] {
    const changed: AiAnswerName[] = [];
    for (const key of ANSWERS) {
      const value = answers[key];
      if (value === undefined) continue;
      this.confidence[key] = 'observed';
      if (value === this[key]) continue;
      (this as unknown as Record<string, unknown>)[key] = value;
      changed.push(key);
    }
    return changed;
  }

  observeAll(): void {
    for (const key of ANSWERS) this.confidence[key] = 'observed';
  }

  /** Every answer the project's code shows or the package gives by default holds only for a provider picked at run time. */
  offer(): void {
    for (const key of ANSWERS) if (this.confidence[key] === 'observed' || this.confidence[key] === 'default') this.confidence[key] = 'offered';
  }

  atLeast(confidence: AiConfidence): void {
    for (const key of ANSWERS) if (this.confidence[key] === 'possible') this.confidence[key] = confidence;
  }

  /** Several routes: the most exposed one decides (a hop beats in-process, a vendor beats self-hosting). */
  hop(target: EndpointTarget, endpoint: string, sendsPromptsWhenSelfHosted: ToolAnswers['sendsPrompts']): AiAnswerName[] {
    const prompts = target.hosting === 'vendor' ? 'default' : target.hosting === 'unknown' ? (this.sendsPrompts === 'default' ? 'default' : 'unknown') : this.via.length === 0 ? sendsPromptsWhenSelfHosted : undefined;
    const changed = this.set({ requestPath: 'network-hop', handlesKeys: 'forwards', singlePointOfFailure: true, ...(prompts ? { sendsPrompts: prompts } : {}) });
    this.observeAll();
    this.elsewhere = true;
    this.hosting = mostExposed(this.hosting, target.hosting);
    if (!this.via.includes(target.label)) this.via.push(target.label);
    if (!this.reaches.includes(endpoint)) this.reaches.push(endpoint);
    return changed.length > 0 ? changed : ['requestPath'];
  }

  add(evidence: AiToolEvidence): void {
    if (this.evidence.some((item) => item.detail === evidence.detail && item.file === evidence.file && item.line === evidence.line)) return;
    this.evidence.push(evidence);
  }

  addSignal(signal: Signal, supports?: AiAnswerName[]): void {
    this.add({ kind: signal.kind, detail: signal.detail, ...(signal.file ? { file: signal.file } : {}), ...(signal.line ? { line: signal.line } : {}), ...(supports && supports.length > 0 ? { supports } : {}) });
  }
}

function mostExposed(a: AiHosting | null, b: AiHosting): AiHosting {
  const rank: AiHosting[] = ['self-hosted', 'unknown', 'vendor'];
  return a === null || rank.indexOf(b) > rank.indexOf(a) ? b : a;
}

/** The choice every use of the package sits in, when each names the tool or the package (`case 'vercel-ai-gateway'`); null when some use is unconditional. */
function offeredOnlyIn(own: Signal[], tool: CatalogTool, pkgName: string): Choice | null {
  const uses = own.filter(({ fact }) => fact.type !== 'import');
  if (uses.length === 0) return null;
  const names = { hosts: tool.endpoints, tools: [tool.name, tool.id, pkgName.replace(/^@[^/]+\//, '')] };
  const named = uses.map(({ choice }) => namingChoice(choice, names));
  return named.every((choice) => choice !== null) ? (named[0] ?? null) : null;
}

function routeOf(signal: Signal, how: AiRoute['how'], from: string | null, detail: string): AiRoute {
  return { how, from, detail, file: signal.file ?? '', line: signal.line ?? null, ...(signal.choice ? { choice: signal.choice } : {}) };
}

function packageTool(pkg: LockedPackage, tool: CatalogTool, role: AiRole, packageDefaults: ToolAnswers | undefined, context: Context, imported: boolean): AiToolReport {
  const defaults = packageDefaults ?? (role === tool.role ? tool.defaults : ROLE_DEFAULTS[role]);
  const own = imported ? context.sourceSignals(pkg.name) : [];
  const configured = imported ? context.configuredBy(tool) : null;
  // used by the project's code (an import of the package or a subpath): the catalog's answers hold by default; otherwise it is only in the tree
  const answers = new Answers(defaults, own.length > 0 || configured ? 'default' : 'possible');
  answers.add({ kind: 'catalog', detail: `catalog: ${role} of ${tool.name} (${tool.vendor}), reviewed ${tool.reviewed}`, supports: [...ANSWERS] });
  // where the client goes when the project gives it no base URL: the vendor's endpoint, or a local server's
  const ownDefault = defaultHost(tool);
  const defaultHosting = ownDefault !== null && isSelfHostedHost(ownDefault) ? 'self-hosted' : 'vendor';
  if (defaults.requestPath === 'network-hop') answers.hosting = defaultHosting;
  let routed = false;
  const calledOwnDefault: Signal[] = [];
  const hopTo = (target: EndpointTarget, signal: Signal, how: AiRoute['how'], extra: Signal[]) => {
    const detail = extra.length > 0 ? `${signal.detail}; base URL from ${extra.map((item) => `${item.detail} (${item.file ?? '?'}${item.line ? `:${item.line}` : ''})`).join(', ')}` : signal.detail;
    const endpoint = context.book.add(target, routeOf(signal, how, pkg.name, detail), extra.map((item) => evidenceOf(item)));
    const selfHostedPrompts = role === 'gateway-client' || role === 'gateway-server' ? 'none' : answers.sendsPrompts;
    answers.addSignal(signal, answers.hop(target, endpoint, selfHostedPrompts));
    for (const item of extra) answers.addSignal(item, ['requestPath']);
    if (target.hosting === 'self-hosted' && target.tool === tool && answers.via.length === 1) answers.hosting = 'self-hosted';
  };
  for (const signal of own) {
    const { fact } = signal;
    if (fact.type === 'client' && fact.baseUrl) {
      const { targets, unresolved } = context.resolve(fact.baseUrl, tool);
      const hops = targets.filter(({ target }) => !target.direct);
      for (const { target, evidence } of hops) hopTo(target, signal, evidence.length > 0 ? 'env' : 'base-url', evidence);
      if (hops.length > 0) routed = true;
      else if (targets.length > 0) answers.addSignal(signal);
      if (unresolved) {
        // where an unresolved base URL would lead is unknown, so no choice can be said to name it
        answers.unresolved.push(routeOf({ ...signal, choice: undefined }, 'base-url', pkg.name, `base URL from ${unresolved}: it may point at a gateway`));
        if (answers.requestPath !== 'network-hop' && fact.baseUrl.envVar) answers.addSignal(signal, answers.set({ requestPath: 'unknown' }));
        else answers.addSignal(signal);
      }
      addHeaders(fact.headers, signal, answers, context);
    } else if (fact.type === 'client' || fact.type === 'call') {
      // a client built without a base URL: the SDK's own base-URL variable, when the project sets one, decides where it goes
      const envRoutes = fact.type === 'client' ? sdkEnvRoutes(tool, context) : [];
      for (const { target, signal: envSignal } of envRoutes) if (!target.direct) {
        hopTo(target, signal, 'env', [envSignal]);
        routed = true;
      }
      if (envRoutes.length === 0) calledOwnDefault.push(signal);
      answers.addSignal(signal);
      if (fact.type === 'client') addHeaders(fact.headers, signal, answers, context);
    } else if (fact.type === 'model-route') {
      if (majorOf(pkg.version) >= 5) {
        routed = true;
        hopTo(vercelGateway(context), signal, 'model-id', []);
      }
    } else {
      answers.addSignal(signal);
    }
  }
  // once the project gives a client of the package a base URL, its other calls (helpers such as LangGraph's `isUIMessage`) say nothing of where requests go
  const pointsClients = own.some(({ fact }) => fact.type === 'client' && fact.baseUrl);
  const defaultSites = calledOwnDefault.filter(({ fact }) => fact.type === 'client' || !pointsClients);
  if (role === 'gateway-client' && !routed && (defaultSites.length > 0 || configured)) {
    // the project uses the client as shipped: every call site goes to its default endpoint, the vendor's, or a local server's (the LangGraph SDK's localhost:8123)
    answers.observeAll();
    const label = defaultHosting === 'self-hosted' ? `${tool.name} (self-hosted, ${ownDefault})` : `${tool.name} (${ownDefault ?? 'hosted'})`;
    const target: EndpointTarget = { tool, host: ownDefault, hosting: defaultHosting, direct: false, label };
    const sites = defaultSites.length > 0 ? defaultSites.slice(0, MAX_ROUTES_PER_PACKAGE) : configured ? [configured] : [];
    for (const where of sites) {
      const endpoint = context.book.add(target, routeOf(where, defaultSites.length > 0 ? 'client' : 'env', pkg.name, where.detail));
      if (!answers.reaches.includes(endpoint)) answers.reaches.push(endpoint);
      answers.addSignal(where, [...ANSWERS]);
    }
  }
  if (tool.id === 'vercel-ai-gateway') observeVercelGateway(answers, context);
  if (configured) answers.addSignal(configured);
  applySelfHostedBackend(tool, role, answers, context);
  applyModes(tool, pkg.name, answers, context, routed);
  const offer = configured ? null : offeredOnlyIn(own, tool, pkg.name);
  if (offer && !context.pickOf(offer)) {
    answers.offer();
    answers.add(offeredEvidence(offer));
  }
  const evidence = context.evidence.get(`${pkg.name}@${pkg.version}`);
  if (evidence) addPackageEvidence(evidence, answers, context.catalog);
  const unread = context.unread.get(`${pkg.name}@${pkg.version}`);
  if (unread) answers.add({ kind: 'package', detail: `published code not read: ${unread}` });
  if (own.length === 0 && !configured && !answers.evidence.some((item) => item.supports && item.kind !== 'catalog')) {
    const why = pkg.direct ? 'declared, but no project source file imports it' : `transitive: ${pkg.paths[0]?.join(' > ') ?? 'in the lockfile'}`;
    answers.add({ kind: 'catalog', detail: `${why}; catalog answers for the package as published (possible, not reached by the project's code)` });
  }
  return report(pkg.name, pkg.version, 'npm', tool, role, answers);
}

/** The host of the tool's first catalogued endpoint: where its client goes by default (the vendor's, or a local server's: the LangGraph SDK's localhost:8123). */
function defaultHost(tool: CatalogTool | null): string | null {
  return tool?.endpoints[0] ? hostOfEndpoint(tool.endpoints[0]) : null;
}

function evidenceOf(signal: Signal): AiToolEvidence {
  return { kind: signal.kind, detail: signal.detail, ...(signal.file ? { file: signal.file } : {}), ...(signal.line ? { line: signal.line } : {}), supports: [...ANSWERS] };
}

function addHeaders(headers: string[], signal: Signal, answers: Answers, context: Context): void {
  for (const header of headers) {
    const gateway = context.catalog.toolByHeader(header);
    if (gateway) answers.add({ kind: 'source', detail: `sets ${gateway.name} header ${header}`, ...(signal.file ? { file: signal.file } : {}), ...(signal.line ? { line: signal.line } : {}) });
  }
}

/** The SDK's own base-URL variables (from the catalog) as the project's env and deployment files set them. */
function sdkEnvRoutes(tool: CatalogTool, context: Context): Array<{ target: EndpointTarget; signal: Signal }> {
  if (tool.role !== 'provider-sdk' && tool.role !== 'gateway-client' && tool.tier !== 'gateway') return [];
  return tool.envVars.filter((name) => BASE_URL_VAR.test(name)).flatMap((name) => (context.envUrls.get(name) ?? []).map(({ host, signal }) => ({ target: context.target(host, tool), signal })));
}

function vercelGateway(context: Context): EndpointTarget {
  const tool = context.catalog.toolById('vercel-ai-gateway');
  const host = defaultHost(tool);
  return { tool, host, hosting: 'vendor', direct: false, label: tool ? `${tool.name} (${host ?? 'hosted'})` : "the AI SDK's default gateway" };
}

/** The AI SDK's gateway is in the path when the project passes `provider/model` strings to AI SDK 5+ calls or sets its key. */
function observeVercelGateway(answers: Answers, context: Context): void {
  const routes = context.signals.filter(({ fact }) => fact.type === 'model-route');
  const key = context.envNames.get('AI_GATEWAY_API_KEY');
  if (routes.length === 0 && !key) return;
  answers.observeAll();
  for (const signal of [...routes.slice(0, 3), ...(key ? [key] : [])]) answers.addSignal(signal, [...ANSWERS]);
  if (key) {
    const endpoint = context.book.add(vercelGateway(context), routeOf(key, 'env', '@ai-sdk/gateway', `${key.detail}: the AI SDK's gateway key`));
    if (!answers.reaches.includes(endpoint)) answers.reaches.push(endpoint);
  }
  for (const signal of routes) {
    const endpoint = context.book.add(vercelGateway(context), routeOf(signal, 'model-id', 'ai', signal.detail));
    if (!answers.reaches.includes(endpoint)) answers.reaches.push(endpoint);
  }
}

/** Plain HTTP calls: to a gateway or an unknown host, a hop of their own; to a provider's API, a direct call worth listing. */
function httpRoutes(context: Context): void {
  for (const signal of context.signals) {
    const { fact } = signal;
    if (fact.type !== 'fetch') continue;
    const { targets } = context.resolve(fact.target, null);
    for (const { target, evidence } of targets) {
      // a fetch to some other host is an API call, not an LLM route, unless it hits an LLM path or a catalogued gateway
      if (!target.direct && !target.tool && !fact.llmPath) continue;
      context.book.add(target, routeOf(signal, evidence.length > 0 ? 'env' : 'fetch', null, signal.detail), evidence.map(evidenceOf));
    }
  }
}

/** Gateways the code only names (`DEFAULT_OPENROUTER_HOST = 'https://openrouter.ai/api'`, a call to the account API): possible rows when no followed LLM call reaches them. */
function namedGateways(context: Context): void {
  for (const signal of context.signals) {
    if (signal.fact.type !== 'named-host') continue;
    const target = context.target(signal.fact.host, null);
    if (target.direct || target.hosting !== 'vendor' || target.tool?.tier !== 'gateway') continue;
    context.book.mention(target, evidenceOf(signal));
  }
}

function majorOf(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '0', 10) || 0;
}

/** Catalog modes with a machine-readable trigger that the project's evidence satisfies. */
function applyModes(tool: CatalogTool, pkgName: string, answers: Answers, context: Context, routed: boolean): void {
  for (const mode of tool.modes) {
    if (!mode.trigger || !triggerHolds(mode, tool, context, answers)) continue;
    // a resolved route (where the base URL leads) says more than the generic "points elsewhere" mode
    if (routed && mode.trigger.selfHosted !== undefined) continue;
    const { when: _when, trigger: _trigger, ...modeAnswers } = mode;
    answers.add({ kind: 'config', detail: `mode of ${tool.name} (${pkgName}): ${mode.when}`, supports: answers.set(modeAnswers) });
  }
}

function triggerHolds(mode: CatalogMode, tool: CatalogTool, context: Context, answers: Answers): boolean {
  const trigger = mode.trigger;
  if (!trigger) return false;
  const packages = new Set(tool.packages.map((pkg) => pkg.name));
  if (trigger.env !== undefined) {
    if (!context.envNames.has(trigger.env)) return false;
    if (trigger.value !== undefined && context.envFlags.get(trigger.env) !== trigger.value) return false;
  }
  if (trigger.call !== undefined) {
    const called = context.signals.some(({ fact }) => fact.type === 'call' && fact.fn === trigger.call && packages.has(fact.pkg));
    if (!called) return false;
  }
  if (trigger.header !== undefined) {
    const wanted = trigger.header.toLowerCase();
    const set = context.signals.some(({ fact }) => (fact.type === 'header' && fact.header.toLowerCase() === wanted) || (fact.type === 'client' && fact.headers.some((h) => h.toLowerCase() === wanted)));
    if (!set) return false;
  }
  if (trigger.selfHosted !== undefined && answers.elsewhere !== trigger.selfHosted) return false;
  return true;
}

/** An observability tool whose backend URL (from `.env`) is not the vendor's: its data stays with the project. */
function applySelfHostedBackend(tool: CatalogTool, role: AiRole, answers: Answers, context: Context): void {
  if (role === 'gateway-client' || role === 'gateway-server' || role === 'provider-sdk' || role === 'framework') return;
  for (const name of tool.envVars) for (const url of context.envUrls.get(name) ?? []) {
    if (context.catalog.toolsByHost(url.host).includes(tool)) {
      answers.addSignal(url.signal);
      continue;
    }
    const hosting: AiHosting = isSelfHostedHost(url.host) ? 'self-hosted' : 'unknown';
    answers.hosting = hosting;
    answers.elsewhere = true;
    answers.addSignal(url.signal, hosting === 'self-hosted' ? answers.set({ sendsPrompts: 'none' }) : []);
    if (hosting === 'self-hosted') answers.add({ kind: 'config', detail: `${tool.name} sends to the project's own ${url.host}, not to ${tool.vendor}`, supports: ['sendsPrompts'] });
  }
}

const SHOWN_HOSTS = 3;

function addPackageEvidence(evidence: PackageEvidence, answers: Answers, catalog: CatalogIndex): void {
  const signals = packageSignals(evidence);
  const hosts = signals.filter(({ fact }) => fact.type === 'pkg-host').slice(0, SHOWN_HOSTS);
  const rest = signals.filter(({ fact }) => fact.type !== 'pkg-host' && (fact.type !== 'pkg-env' || isInterestingEnv(fact.name, catalog)));
  // the heuristic reading of the code (inferAnswers) decides only for uncatalogued packages: for
  // catalogued ones its guesses would contradict hand-verified answers and only add noise
  for (const signal of [...hosts, ...rest]) answers.addSignal(signal);
}

function isInterestingEnv(name: string, catalog: CatalogIndex): boolean {
  return /KEY|TOKEN|SECRET|URL|HOST|ENDPOINT|BASE/.test(name) || catalog.toolsByEnvVar(name).length > 0;
}

function unknownTool(evidence: PackageEvidence, catalog: CatalogIndex): AiToolReport {
  const inferred = inferAnswers(evidence, catalog);
  // a guess from the code alone: listed, never gating
  const answers = new Answers(inferred, 'possible');
  for (const signal of packageSignals(evidence)) answers.addSignal(signal, []);
  answers.add({ kind: 'package', detail: 'not in the catalog: answers inferred from the published code only', supports: ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'] });
  return {
    name: evidence.name,
    version: evidence.version,
    origin: 'npm',
    tool: 'unknown',
    vendor: 'unknown',
    tier: tierOfRole(inferred.role),
    role: inferred.role,
    requestPath: answers.requestPath,
    handlesKeys: answers.handlesKeys,
    sendsPrompts: answers.sendsPrompts,
    singlePointOfFailure: answers.singlePointOfFailure,
    hosting: null,
    via: null,
    kind: 'package',
    confidence: answers.confidence,
    reaches: [],
    endpoint: null,
    unresolved: [],
    summary: 'Uncatalogued package whose published code shows AI-tool behaviour.',
    evidence: answers.evidence,
  };
}

/** Gateway containers and Python gateway packages the project deploys itself. */
function deployedTools(signals: Signal[], deployments: GatewayDeployment[], context: Context): AiToolReport[] {
  const byTool = new Map<string, { tool: CatalogTool; answers: Answers; name: string; version: string | null; origin: 'container' | 'pypi' }>();
  for (const signal of signals) {
    const { fact } = signal;
    if (fact.type !== 'image' && fact.type !== 'python') continue;
    const tool = deployedTool(fact, context.catalog);
    if (!tool || (fact.type === 'python' && isLibraryUse(fact))) continue;
    let entry = byTool.get(tool.id);
    if (!entry) {
      const answers = new Answers(ROLE_DEFAULTS['gateway-server'], 'observed');
      answers.hosting = 'self-hosted';
      answers.add({ kind: 'catalog', detail: `catalog: ${tool.name} (${tool.vendor}) run by the project: a self-hosted gateway`, supports: ['requestPath', 'handlesKeys', 'singlePointOfFailure'] });
      entry = fact.type === 'image'
        ? { tool, answers, name: fact.image.repository, version: fact.image.digest ?? fact.image.tag, origin: 'container' }
        : { tool, answers, name: fact.name, version: fact.pinnedVersion ?? (fact.spec || null), origin: 'pypi' };
      byTool.set(tool.id, entry);
    }
    entry.answers.addSignal(signal, ['requestPath']);
  }
  for (const deployment of deployments) {
    const entry = [...byTool.values()].find((item) => item.tool.name === deployment.tool);
    if (!entry) continue;
    if (deployment.compromised) entry.answers.add({ kind: 'deploy', detail: `${deployment.ref}: ${deployment.compromised}`, file: deployment.file, ...(deployment.line ? { line: deployment.line } : {}) });
  }
  return [...byTool.values()].map(({ tool, answers, name, version, origin }) => report(name, version, origin, tool, 'gateway-server', answers, `${tool.name} deployed by the project`));
}

/**
 * `litellm` without its `proxy` extra is the Python library: it calls providers from inside the
 * app, so it is no gateway the project runs (its pin is still audited as a deployment). The proxy
 * server needs the extra's web stack (`litellm[proxy]`), or ships as the proxy image.
 */
function isLibraryUse(fact: Extract<Fact, { type: 'python' }>): boolean {
  return fact.name.toLowerCase() === 'litellm' && !/\[[^\]]*\bproxy\b[^\]]*\]/i.test(fact.spec);
}

/** A Python package that ships a gateway (LiteLLM's `litellm[proxy]`) counts as the gateway of the same vendor. */
function deployedTool(fact: Extract<Fact, { type: 'image' | 'python' }>, catalog: CatalogIndex): CatalogTool | null {
  if (fact.type === 'image') return catalog.toolByImage(fact.image.repository);
  const tool = catalog.toolByPython(fact.name);
  if (!tool) return null;
  if (tool.tier === 'gateway') return tool;
  const key = fact.name.toLowerCase();
  return catalog.catalog.tools.find((candidate) => candidate.tier === 'gateway' && candidate.role === 'gateway-server' && candidate.images.length > 0 && candidate.id.startsWith(key)) ?? null;
}

/**
 * The tier a code-only guess shows. Only code that wraps or instruments a client counts as a
 * cost/observability tool: a package with no hosts, keys or LLM calls (a vector store client, a
 * browser agent) is not one just because the heuristic found nothing else.
 */
function tierOfRole(role: AiRole | 'unknown'): AiTier {
  if (role === 'gateway-server' || role === 'gateway-client') return 'gateway';
  if (role === 'provider-sdk') return 'provider-sdk';
  if (role === 'in-process-wrapper' || role === 'otel-instrumentation' || role === 'passive-metadata') return 'cost-observability';
  return 'framework';
}

function report(name: string, version: string | null, origin: AiToolReport['origin'], tool: CatalogTool, role: AiRole, answers: Answers, summary?: string): AiToolReport {
  return {
    name,
    version,
    origin,
    tool: tool.name,
    vendor: tool.vendor,
    tier: tool.tier,
    role,
    requestPath: answers.requestPath,
    handlesKeys: answers.handlesKeys,
    sendsPrompts: answers.sendsPrompts,
    singlePointOfFailure: answers.singlePointOfFailure,
    hosting: answers.hosting ?? (answers.requestPath === 'network-hop' || answers.sendsPrompts !== 'none' ? 'vendor' : null),
    via: answers.via.length > 0 ? answers.via.join('; ') : null,
    kind: origin === 'container' ? 'deployment' : origin === 'endpoint' ? 'endpoint' : 'package',
    confidence: answers.confidence,
    reaches: answers.reaches,
    endpoint: null,
    unresolved: answers.unresolved,
    summary: summary ?? tool.summary,
    evidence: answers.evidence,
  };
}

/** Every gateway image and Python gateway package reference, with how firmly it is pinned. */
export function gatewayDeployments(signals: Signal[], catalog: CatalogIndex): GatewayDeployment[] {
  const locked = new Set(signals.flatMap(({ fact, file }) => (fact.type === 'python' && fact.locked ? [`${dirOf(file)}|${fact.name.toLowerCase()}`] : [])));
  const deployments: GatewayDeployment[] = [];
  for (const signal of signals) {
    const { fact } = signal;
    if (fact.type !== 'image' && fact.type !== 'python') continue;
    const tool = deployedTool(fact, catalog);
    if (!tool) continue;
    const where = { file: signal.file ?? '', line: signal.line ?? null };
    if (fact.type === 'image') {
      deployments.push({ tool: tool.name, kind: 'image', ref: fact.image.raw, name: fact.image.repository, pinning: imagePinning(fact.image), compromised: null, ...where });
    } else {
      const lockedHere = !fact.locked && locked.has(`${dirOf(signal.file)}|${fact.name.toLowerCase()}`);
      const pinning = fact.pinnedVersion || fact.locked || lockedHere ? 'exact' : 'mutable';
      const compromised = fact.pinnedVersion ? compromisedRelease('pypi', fact.name, fact.pinnedVersion) : null;
      deployments.push({ tool: tool.name, kind: 'python', ref: `${fact.name}${fact.spec ? ` ${fact.spec}` : ''}`, name: fact.name, pinning, compromised, ...where });
    }
  }
  return deployments;
}

function imagePinning(image: ImageRef): GatewayDeployment['pinning'] {
  if (image.digest) return 'digest';
  if (image.tag && /^v?\d+(\.\d+){1,3}([-.+][\w.-]*)?$/.test(image.tag) && !/latest|nightly|dev|edge/i.test(image.tag)) return 'version-tag';
  return 'mutable';
}

function dirOf(file: string | undefined): string {
  return file && file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
}
