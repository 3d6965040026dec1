import type { LockedPackage } from '../inventory/model.js';
import type { AiAnswerName, AiHosting, AiToolEvidence, AiToolReport } from './model.js';
import type { AiTier } from '../model/tier.js';
import type { AiRole, CatalogIndex, CatalogMode, CatalogTool, ToolAnswers } from './catalog.js';
import { compromisedRelease } from './compromised.js';
import { inferAnswers } from './infer.js';
import { isSelfHostedHost } from './hosts.js';
import { looksLikeAiTool, packageSignals, type PackageEvidence } from './evidence/package.js';
import type { Fact, ImageRef, Signal, UrlRef } from './evidence/types.js';

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

interface Route {
  tool: CatalogTool | null;
  host: string | null;
  hosting: AiHosting;
  label: string;
}

/** Catalog defaults, then what the project and the packages show: the four answers per AI tool, with evidence. */
export function classify(input: ClassifyInput): AiAnalysis {
  const context = new Context(input);
  const tools: AiToolReport[] = [];
  const imported = importedInstances(input.packages);
  for (const pkg of input.packages) {
    const match = input.catalog.lookup(pkg.name);
    if (match) tools.push(packageTool(pkg, match.tool, match.role, match.package.defaults, context, imported.has(pkg)));
  }
  for (const evidence of input.packageEvidence) {
    if (!input.catalog.lookup(evidence.name) && looksLikeAiTool(evidence, input.catalog)) tools.push(unknownTool(evidence, input.catalog));
  }
  const deployments = gatewayDeployments(input.signals, input.catalog);
  tools.push(...deployedTools(input.signals, deployments, context), ...endpointTools(context, tools));
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

class Context {
  readonly catalog: CatalogIndex;
  readonly signals: Signal[];
  readonly envUrls = new Map<string, { host: string; signal: Signal }>();
  readonly envNames = new Set<string>();
  readonly envFlags = new Map<string, boolean>();
  /** Compose/Kubernetes service names running a gateway image → the tool. */
  readonly gatewayServices = new Map<string, CatalogTool>();
  readonly byPackage = new Map<string, Signal[]>();
  readonly evidence = new Map<string, PackageEvidence>();
  readonly unread = new Map<string, string>();

  constructor(input: ClassifyInput) {
    this.catalog = input.catalog;
    this.signals = input.signals;
    for (const evidence of input.packageEvidence) this.evidence.set(`${evidence.name}@${evidence.version}`, evidence);
    for (const failure of input.unread ?? []) this.unread.set(`${failure.name}@${failure.version}`, failure.message);
    for (const signal of input.signals) {
      const { fact } = signal;
      if (fact.type === 'env-url') this.envUrls.set(fact.name, { host: fact.host, signal });
      if (fact.type === 'env-var') this.envNames.add(fact.name);
      if (fact.type === 'env-flag') this.envFlags.set(fact.name, fact.value);
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

  /** Where a configured base URL leads: a provider (null: no hop), a catalogued gateway, the project's own service, or an unknown host. */
  route(baseUrl: UrlRef, owner: CatalogTool): { route: Route | null; evidence: Signal[]; unresolved: string | null } {
    const fromEnv = baseUrl.envVar ? this.envUrls.get(baseUrl.envVar) : undefined;
    const host = baseUrl.host ?? fromEnv?.host ?? null;
    const evidence = fromEnv ? [fromEnv.signal] : [];
    if (!host) return { route: null, evidence, unresolved: baseUrl.envVar };
    const tools = this.catalog.toolsByHost(host);
    if (tools.includes(owner) && owner.role !== 'gateway-server') return { route: null, evidence, unresolved: null };
    if (this.catalog.isProviderHost(host)) return { route: null, evidence, unresolved: null };
    const gateway = tools.find((tool) => tool.tier === 'gateway') ?? tools[0] ?? null;
    if (gateway) return { route: { tool: gateway, host, hosting: isSelfHostedHost(host) ? 'self-hosted' : 'vendor', label: `${gateway.name} (${host})` }, evidence, unresolved: null };
    const service = this.gatewayServices.get(host);
    if (service) return { route: { tool: service, host, hosting: 'self-hosted', label: `${service.name} (self-hosted, ${host})` }, evidence, unresolved: null };
    if (owner.tier === 'gateway') return { route: { tool: owner, host, hosting: 'self-hosted', label: `${owner.name} (self-hosted, ${host})` }, evidence, unresolved: null };
    const hosting: AiHosting = isSelfHostedHost(host) ? 'self-hosted' : 'unknown';
    return { route: { tool: null, host, hosting, label: hosting === 'self-hosted' ? `a self-hosted endpoint (${host})` : `an uncatalogued host (${host})` }, evidence, unresolved: null };
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
  readonly evidence: AiToolEvidence[] = [];

  constructor(defaults: ToolAnswers) {
    this.requestPath = defaults.requestPath;
    this.handlesKeys = defaults.handlesKeys;
    this.sendsPrompts = defaults.sendsPrompts;
    this.singlePointOfFailure = defaults.singlePointOfFailure;
  }

  set(answers: Partial<ToolAnswers>): AiAnswerName[] {
    const changed: AiAnswerName[] = [];
    for (const key of ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'] as const) {
      const value = answers[key];
      if (value === undefined || value === this[key]) continue;
      (this as unknown as Record<string, unknown>)[key] = value;
      changed.push(key);
    }
    return changed;
  }

  /** Several routes: the most exposed one decides (a hop beats in-process, a vendor beats self-hosting). */
  hop(route: Route, sendsPromptsWhenSelfHosted: ToolAnswers['sendsPrompts']): AiAnswerName[] {
    const prompts = route.hosting === 'vendor' ? 'default' : route.hosting === 'unknown' ? (this.sendsPrompts === 'default' ? 'default' : 'unknown') : this.via.length === 0 ? sendsPromptsWhenSelfHosted : undefined;
    const changed = this.set({ requestPath: 'network-hop', handlesKeys: 'forwards', singlePointOfFailure: true, ...(prompts ? { sendsPrompts: prompts } : {}) });
    this.elsewhere = true;
    this.hosting = mostExposed(this.hosting, route.hosting);
    if (!this.via.includes(route.label)) this.via.push(route.label);
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

function packageTool(pkg: LockedPackage, tool: CatalogTool, role: AiRole, packageDefaults: ToolAnswers | undefined, context: Context, imported: boolean): AiToolReport {
  const defaults = packageDefaults ?? (role === tool.role ? tool.defaults : ROLE_DEFAULTS[role]);
  const answers = new Answers(defaults);
  answers.add({ kind: 'catalog', detail: `catalog: ${role} of ${tool.name} (${tool.vendor}), reviewed ${tool.reviewed}`, supports: ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'] });
  if (defaults.requestPath === 'network-hop') answers.hosting = 'vendor';
  const own = imported ? context.sourceSignals(pkg.name) : [];
  let routed = false;
  for (const signal of own) {
    const { fact } = signal;
    if (fact.type === 'client' && fact.baseUrl) {
      const { route, evidence, unresolved } = context.route(fact.baseUrl, tool);
      if (route) {
        routed = true;
        const selfHostedPrompts = role === 'gateway-client' || role === 'gateway-server' ? 'none' : answers.sendsPrompts;
        answers.addSignal(signal, answers.hop(route, selfHostedPrompts));
        if (route.hosting === 'self-hosted' && route.tool === tool && answers.via.length === 1) answers.hosting = 'self-hosted';
      } else if (unresolved && answers.requestPath !== 'network-hop') {
        answers.addSignal(signal, answers.set({ requestPath: 'unknown' }));
        answers.add({ kind: 'source', detail: `base URL comes from ${unresolved}, which no .env file defines: it may point at a gateway`, supports: ['requestPath'] });
      } else {
        answers.addSignal(signal);
      }
      for (const item of evidence) answers.addSignal(item, route ? ['requestPath'] : undefined);
      for (const header of fact.headers) {
        const gateway = context.catalog.toolByHeader(header);
        if (gateway) answers.add({ kind: 'source', detail: `sets ${gateway.name} header ${header}`, ...(signal.file ? { file: signal.file } : {}), ...(signal.line ? { line: signal.line } : {}) });
      }
    } else if (fact.type === 'model-route') {
      const gateway = context.catalog.lookup('@ai-sdk/gateway')?.tool ?? null;
      if (majorOf(pkg.version) >= 5) {
        routed = true;
        const label = gateway ? `${gateway.name} (${gateway.endpoints[0] ?? 'hosted'})` : "the AI SDK's default gateway";
        answers.addSignal(signal, answers.hop({ tool: gateway, host: null, hosting: 'vendor', label }, answers.sendsPrompts));
      }
    } else {
      answers.addSignal(signal);
    }
  }
  applySelfHostedBackend(tool, role, answers, context);
  applyModes(tool, pkg.name, answers, context, routed);
  const evidence = context.evidence.get(`${pkg.name}@${pkg.version}`);
  if (evidence) addPackageEvidence(evidence, answers, context.catalog);
  const unread = context.unread.get(`${pkg.name}@${pkg.version}`);
  if (unread) answers.add({ kind: 'package', detail: `published code not read: ${unread}` });
  if (own.length === 0) {
    const why = pkg.direct ? 'declared, but no project source file imports it' : `transitive: ${pkg.paths[0]?.join(' > ') ?? 'in the lockfile'}`;
    answers.add({ kind: 'catalog', detail: `${why}; catalog answers for the package as published` });
  }
  return report(pkg.name, pkg.version, 'npm', tool, role, answers);
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
  for (const name of tool.envVars) {
    const url = context.envUrls.get(name);
    if (!url) continue;
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
  const answers = new Answers(inferred);
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
    if (!tool) continue;
    let entry = byTool.get(tool.id);
    if (!entry) {
      const answers = new Answers(ROLE_DEFAULTS['gateway-server']);
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

/** A Python package that ships a gateway (LiteLLM's `litellm[proxy]`) counts as the gateway of the same vendor. */
function deployedTool(fact: Extract<Fact, { type: 'image' | 'python' }>, catalog: CatalogIndex): CatalogTool | null {
  if (fact.type === 'image') return catalog.toolByImage(fact.image.repository);
  const tool = catalog.toolByPython(fact.name);
  if (!tool) return null;
  if (tool.tier === 'gateway') return tool;
  const key = fact.name.toLowerCase();
  return catalog.catalog.tools.find((candidate) => candidate.tier === 'gateway' && candidate.role === 'gateway-server' && candidate.images.length > 0 && candidate.id.startsWith(key)) ?? null;
}

/** Gateways the source talks to directly (a URL or a gateway header) with no catalogued package or client carrying the route. */
function endpointTools(context: Context, found: AiToolReport[]): AiToolReport[] {
  const carried = new Set(found.flatMap((tool) => (tool.via ? [tool.via] : [])).join('\n').toLowerCase().split('\n'));
  const named = new Set(found.map((tool) => tool.tool));
  const byTool = new Map<string, { tool: CatalogTool; answers: Answers }>();
  for (const signal of context.signals) {
    const { fact } = signal;
    if (signal.kind !== 'source' || (fact.type !== 'endpoint' && fact.type !== 'header')) continue;
    const tool = fact.type === 'endpoint' ? context.catalog.toolsByHost(fact.host).find((candidate) => candidate.tier === 'gateway') : context.catalog.toolByHeader(fact.header);
    if (!tool || tool.tier !== 'gateway' || named.has(tool.name) || [...carried].some((via) => via.includes(tool.name.toLowerCase()))) continue;
    let entry = byTool.get(tool.id);
    if (!entry) {
      const answers = new Answers(ROLE_DEFAULTS['gateway-client']);
      answers.hosting = 'vendor';
      answers.add({ kind: 'catalog', detail: `catalog: ${tool.name} is a hosted gateway (${tool.vendor})`, supports: ['requestPath', 'handlesKeys', 'sendsPrompts', 'singlePointOfFailure'] });
      entry = { tool, answers };
      byTool.set(tool.id, entry);
    }
    entry.answers.addSignal(signal, ['requestPath']);
  }
  return [...byTool.values()].map(({ tool, answers }) => report(tool.endpoints[0] ?? tool.id, null, 'endpoint', tool, 'gateway-client', answers, `${tool.name} called directly by the project's source`));
}

/** Uncatalogued tools are held to the strict tiers unless their code says they are only an SDK. */
function tierOfRole(role: AiRole | 'unknown'): AiTier {
  if (role === 'gateway-server' || role === 'gateway-client') return 'gateway';
  if (role === 'provider-sdk') return 'provider-sdk';
  return 'cost-observability';
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
