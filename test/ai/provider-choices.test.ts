import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import type { AiAnalysis } from '../../src/ai/classify.js';
import { aiStage } from '../../src/ai/stage.js';
import { runChecks } from '../../src/checks/index.js';
import type { LockedPackage } from '../../src/inventory/model.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import type { AiToolReport, Finding } from '../../src/report/model.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { tempProjects } from '../helpers/temp-dirs.js';

// Routes a project takes only when a provider is picked at run time (opencommit's engines,
// anything-llm's agent providers, NextChat's per-provider API routes) are offered, not observed:
// they are listed, at most low, and never fail a `--fail-on high` gate unless the project's own
// settings pick that provider.

const catalog = new CatalogIndex(builtinCatalog);
const project = tempProjects('aca-choices-');
const locked: LockedPackage[] = [lockedPackage({ name: 'openai', version: '6.49.0', direct: true }), lockedPackage({ name: 'axios', version: '1.13.2', direct: true })];

async function analyse(files: Record<string, string>, offeredRoutes: 'low' | 'full' = 'low'): Promise<{ ai: AiAnalysis; findings: Finding[] }> {
  const root = await project({ 'package.json': JSON.stringify({ name: 'app', dependencies: { openai: '6.49.0', axios: '1.13.2' } }), ...files });
  const inv = inventory({ root, packages: locked });
  const ai = (await aiStage(inv, { catalog })).analysis;
  const findings = runChecks({ inventory: inv, policy: defaultPolicy({ offeredRoutes }), now: new Date('2026-11-23T12:00:00Z'), tierOf: () => null, ai });
  return { ai, findings: findings.filter((finding) => finding.ruleId.startsWith('ai-')) };
}

function endpoint(ai: AiAnalysis, name: string): AiToolReport {
  const found = ai.tools.filter((tool) => tool.kind === 'endpoint' && tool.name === name);
  expect(found, `${name} endpoint`).toHaveLength(1);
  return found[0] as AiToolReport;
}

const POST = "{ method: 'POST', headers: { Authorization: `Bearer ${key}` }, body }";

/** opencommit's shape: an engine class per provider, picked by a switch in another module. */
const ENGINES = {
  'src/engine/openrouter.ts': [
    "import axios from 'axios';",
    'export class OpenRouterEngine {',
    '  client = axios.create({ baseURL: "https://openrouter.ai/api/v1/chat/completions", headers: { Authorization: `Bearer ${process.env.KEY}` } });',
    '}',
  ].join('\n'),
  'src/engine/anthropic.ts': ["import OpenAI from 'openai';", 'export class AnthropicEngine {', "  client = new OpenAI({ baseURL: 'https://api.anthropic.com/v1/' });", '}'].join('\n'),
  'src/engine.ts': [
    "import { OpenRouterEngine } from './engine/openrouter';",
    "import { AnthropicEngine } from './engine/anthropic';",
    'export function getEngine(provider: string) {',
    '  switch (provider) {',
    "    case 'anthropic':",
    '      return new AnthropicEngine();',
    "    case 'openrouter':",
    '      return new OpenRouterEngine();',
    '  }',
    '}',
  ].join('\n'),
};

describe('routes offered for a provider picked at run time', () => {
  it('an engine class that only one case of a provider switch builds (across modules): offered, findings at most low', async () => {
    const { ai, findings } = await analyse(ENGINES);
    const row = endpoint(ai, 'openrouter.ai');
    expect(row.confidence).toEqual({ requestPath: 'offered', handlesKeys: 'offered', sendsPrompts: 'offered', singlePointOfFailure: 'offered' });
    expect(row.endpoint?.routes[0]).toMatchObject({ file: 'src/engine/openrouter.ts', line: 3, choice: { file: 'src/engine.ts', line: 7, labels: ['openrouter'] } });
    expect(row.summary).toMatch(/Offered only: .*'openrouter' \(src\/engine\.ts:7\)/);
    const about = findings.filter((finding) => finding.package?.name === 'openrouter.ai');
    expect(about.map((finding) => finding.ruleId).sort()).toEqual(['ai-gateway-in-path', 'ai-tool-handles-keys', 'ai-tool-sends-prompts']);
    for (const finding of about) {
      expect(finding.severity).toBe('low');
      expect(finding.message).toMatch(/Offered only: the code takes this route when the provider picked at run time is 'openrouter' \(src\/engine\.ts:7\)/);
    }
  });

  it('a policy that grades offered routes in full (offeredRoutes: "full") keeps their findings at the severity a taken route has', async () => {
    const { findings } = await analyse(ENGINES, 'full');
    const keys = findings.find((finding) => finding.package?.name === 'openrouter.ai' && finding.ruleId === 'ai-tool-handles-keys');
    expect(keys?.severity).toBe('high');
    expect(keys?.message).toMatch(/Offered only: /);
  });

  it("the project's settings pick the provider (LLM_PROVIDER=openrouter in .env): observed, with the setting as evidence", async () => {
    const { ai, findings } = await analyse({ ...ENGINES, '.env.example': 'LLM_PROVIDER=openrouter\nOPENROUTER_API_KEY=\n' });
    const row = endpoint(ai, 'openrouter.ai');
    expect(row.confidence.handlesKeys).toBe('observed');
    expect(row.evidence).toContainEqual(expect.objectContaining({ kind: 'config', file: '.env.example', line: 1, detail: expect.stringMatching(/pick 'openrouter'/) }));
    expect(findings.find((finding) => finding.package?.name === 'openrouter.ai' && finding.ruleId === 'ai-tool-handles-keys')?.severity).toBe('high');
  });

  it('a value of a secret-named variable is never kept, so it never picks (nor reaches a report)', async () => {
    const { ai } = await analyse({ ...ENGINES, '.env': 'OPENROUTER_API_KEY=openrouter\nSESSION_SECRET=openrouter\n' });
    expect(endpoint(ai, 'openrouter.ai').confidence.handlesKeys).toBe('offered');
  });

  it('the engine built outside the switch too (a module-level default): observed', async () => {
    const { ai } = await analyse({ ...ENGINES, 'src/default.ts': "import { OpenRouterEngine } from './engine/openrouter';\nexport const engine = new OpenRouterEngine();\n" });
    expect(endpoint(ai, 'openrouter.ai').confidence.handlesKeys).toBe('observed');
  });

  it('a route directly in a case, and an if/else-if chain on the provider: offered; the final else is the fallback, observed', async () => {
    const { ai } = await analyse({
      'src/llm.ts': [
        "import OpenAI from 'openai';",
        'export function client(provider: string) {',
        "  if (provider === 'openrouter') return new OpenAI({ baseURL: 'https://openrouter.ai/api/v1' });",
        "  else if (provider === 'groq') return new OpenAI({ baseURL: 'https://api.groq.com/openai/v1' });",
        "  else return new OpenAI({ baseURL: 'https://gateway.ai.cloudflare.com/v1/acct/gw/openai' });",
        '}',
        'export async function ask(provider: string, key: string, body: string) {',
        '  switch (provider) {',
        `    case 'apipie': return fetch('https://apipie.ai/v1/chat/completions', ${POST});`,
        `    case 'anthropic': return fetch('https://api.anthropic.com/v1/messages', ${POST});`,
        '  }',
        '}',
      ].join('\n'),
    });
    expect(endpoint(ai, 'openrouter.ai').confidence.handlesKeys).toBe('offered');
    expect(endpoint(ai, 'openrouter.ai').endpoint?.routes[0]?.choice).toEqual({ file: 'src/llm.ts', line: 3, labels: ['openrouter'] });
    expect(endpoint(ai, 'apipie.ai').confidence.handlesKeys).toBe('offered');
    expect(endpoint(ai, 'gateway.ai.cloudflare.com').confidence.handlesKeys).toBe('observed');
  });

  it('CommonJS: a provider class re-exported by an index and built as `Providers.X` in one case (anything-llm): offered', async () => {
    const { ai } = await analyse({
      'server/providers/cometapi.js': [
        "const OpenAI = require('openai');",
        'class CometApiProvider {',
        "  constructor() { this.client = new OpenAI({ baseURL: 'https://api.cometapi.com/v1', apiKey: process.env.COMETAPI_LLM_API_KEY }); }",
        '}',
        'module.exports = CometApiProvider;',
      ].join('\n'),
      'server/providers/openai.js': ["const OpenAI = require('openai');", 'class OpenAIProvider { constructor() { this.client = new OpenAI(); } }', 'module.exports = OpenAIProvider;'].join('\n'),
      'server/providers/index.js': ["const CometApiProvider = require('./cometapi.js');", "const OpenAIProvider = require('./openai.js');", 'module.exports = { CometApiProvider, OpenAIProvider };'].join('\n'),
      'server/agent.js': [
        "const Providers = require('./providers/index.js');",
        'function providerFor(config) {',
        '  switch (config.provider) {',
        "    case 'openai': return new Providers.OpenAIProvider();",
        "    case 'cometapi': return new Providers.CometApiProvider();",
        '  }',
        '}',
        'module.exports = { providerFor };',
      ].join('\n'),
    });
    expect(endpoint(ai, 'api.cometapi.com').endpoint?.routes[0]?.choice).toEqual({ file: 'server/agent.js', line: 5, labels: ['cometapi'] });
    expect(endpoint(ai, 'api.cometapi.com').confidence.handlesKeys).toBe('offered');
  });

  it('CommonJS: a helper required by destructuring at the top of a module is bound there, not used there (anything-llm fetchApiPieModels)', async () => {
    const { ai } = await analyse({
      'server/apipie.js': [
        'async function fetchApiPieModels(apiKey) {',
        "  return fetch('https://apipie.ai/v1/models', { headers: { Authorization: `Bearer ${apiKey}` } });",
        '}',
        'module.exports = { fetchApiPieModels };',
      ].join('\n'),
      'server/groq.js': "async function groqModels(apiKey) { return fetch('https://api.groq.com/openai/v1/models', { headers: { Authorization: apiKey } }); }\nmodule.exports = { groqModels };",
      'server/models.js': [
        "const { fetchApiPieModels } = require('./apipie');",
        "const { groqModels } = require('./groq');",
        'async function getAPIPieModels(apiKey) { return fetchApiPieModels(apiKey); }',
        'async function customModels(provider, apiKey) {',
        '  switch (provider) {',
        "    case 'apipie': return getAPIPieModels(apiKey);",
        "    case 'groq': return groqModels(apiKey);",
        '  }',
        '}',
        'module.exports = { customModels };',
      ].join('\n'),
    });
    expect(endpoint(ai, 'apipie.ai').endpoint?.routes[0]?.choice).toEqual({ file: 'server/models.js', line: 6, labels: ['apipie'] });
  });

  const HANDLERS = (dispatch: string[]) => ({
    'app/api/302ai.ts': [
      'export async function handle(req: Request) { return request(req); }',
      "async function request(req: Request) { return fetch('https://api.302.ai/v1/chat/completions', { method: 'POST', body: req.body }); }",
    ].join('\n'),
    'app/api/openai.ts': "export async function handle(req: Request) { return fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: req.body }); }",
    'app/constant.ts': "export enum ApiPath { OpenAI = '/api/openai', ['302.AI'] = '/api/302ai' }",
    'app/api/[provider]/route.ts': [
      "import { ApiPath } from '../../constant';",
      "import { handle as openaiHandler } from '../openai';",
      "import { handle as ai302Handler } from '../302ai';",
      ...dispatch,
      '  switch (apiPath) {',
      '    case ApiPath.OpenAI: return openaiHandler(req);',
      "    case ApiPath['302.AI']: return ai302Handler(req);",
      '  }',
      '}',
    ].join('\n'),
  });

  it('a handler imported under another name, dispatched by a setting, whose own helper makes the call: offered', async () => {
    const { ai } = await analyse(HANDLERS(['export async function dispatch(req: Request, settings: { provider: string }) {', '  const apiPath = `/api/${settings.provider}`;']));
    expect(endpoint(ai, 'api.302.ai').endpoint?.routes[0]?.choice).toEqual({ file: 'app/api/[provider]/route.ts', line: 8, labels: ['302.AI'] });
    expect(endpoint(ai, 'api.302.ai').confidence.handlesKeys).toBe('offered');
  });

  it("the same dispatch on the request's own route parameter (NextChat's /api/[provider] route): any user picks it, so every deployment takes it — observed", async () => {
    const { ai, findings } = await analyse(HANDLERS(['export async function POST(req: Request, { params }: { params: { provider: string } }) {', '  const apiPath = `/api/${params.provider}`;']));
    expect(endpoint(ai, 'api.302.ai').confidence.handlesKeys).toBe('observed');
    expect(endpoint(ai, 'api.302.ai').endpoint?.routes[0]?.choice).toBeUndefined();
    expect(findings.find((finding) => finding.package?.name === 'api.302.ai' && finding.ruleId === 'ai-tool-handles-keys')?.severity).toBe('high');
  });

  it('a switch on request paths that serves features (case "/answer"): every route is taken, observed', async () => {
    const { ai } = await analyse({
      'src/server.ts': [
        "import { answer } from './answer';",
        "import { summary } from './summary';",
        'export function route(path: string) {',
        '  switch (path) {',
        "    case '/answer': return answer();",
        "    case '/summary': return summary();",
        '  }',
        '}',
      ].join('\n'),
      'src/answer.ts': "import OpenAI from 'openai';\nexport function answer() { return new OpenAI({ baseURL: 'https://openrouter.ai/api/v1' }); }",
      'src/summary.ts': "import OpenAI from 'openai';\nexport function summary() { return new OpenAI({ baseURL: 'https://oai.helicone.ai/v1' }); }",
    });
    expect(endpoint(ai, 'openrouter.ai').confidence.handlesKeys).toBe('observed');
    expect(endpoint(ai, 'openrouter.ai').endpoint?.routes[0]?.choice).toBeUndefined();
    expect(endpoint(ai, 'oai.helicone.ai').confidence.handlesKeys).toBe('observed');
  });

  it('a switch where only one branch reaches AI code is not a choice between providers: observed', async () => {
    const { ai } = await analyse({
      'src/api.ts': [
        'export async function handler(mode: string, body: string, key: string) {',
        '  switch (mode) {',
        `    case 'openrouter': return fetch('https://openrouter.ai/api/v1/chat/completions', ${POST});`,
        "    case 'off': return new Response('ok');",
        '  }',
        '}',
      ].join('\n'),
    });
    expect(endpoint(ai, 'openrouter.ai').confidence.handlesKeys).toBe('observed');
  });

  it("a single test on the provider's name (if, ternary, &&) offers the route its branch names; a test on anything else does not", async () => {
    const { ai } = await analyse({
      'src/single.ts': [
        "import OpenAI from 'openai';",
        'export function clients(provider: string, key: string, body: string) {',
        "  if (provider === 'openrouter') fetch('https://openrouter.ai/api/v1/chat/completions', { method: 'POST', headers: { Authorization: key }, body });",
        "  const pie = provider === 'apipie' ? new OpenAI({ baseURL: 'https://apipie.ai/v1' }) : undefined;",
        "  const comet = provider === 'cometapi' && new OpenAI({ baseURL: 'https://api.cometapi.com/v1' });",
        "  if (process.env.NODE_ENV === 'production') return new OpenAI({ baseURL: 'https://oai.helicone.ai/v1' });",
        '  return [pie, comet];',
        '}',
      ].join('\n'),
    });
    expect(endpoint(ai, 'openrouter.ai').endpoint?.routes[0]?.choice).toEqual({ file: 'src/single.ts', line: 3, labels: ['openrouter'] });
    expect(endpoint(ai, 'apipie.ai').confidence.handlesKeys).toBe('offered');
    expect(endpoint(ai, 'api.cometapi.com').confidence.handlesKeys).toBe('offered');
    expect(endpoint(ai, 'oai.helicone.ai').confidence.handlesKeys).toBe('observed');
  });

  it("a gateway SDK built only when the provider picked is the gateway (cline's createGateway): the package's answers are offered", async () => {
    const gatewayLocked = [...locked, lockedPackage({ name: '@ai-sdk/gateway', version: '1.0.39', direct: true })];
    const root = await project({
      'package.json': JSON.stringify({ name: 'app', dependencies: { '@ai-sdk/gateway': '1.0.39' } }),
      'src/provider.ts': [
        "import { createGateway } from '@ai-sdk/gateway';",
        'export function gatewayFor(provider: { id: string }, apiKey: string, baseURL: string) {',
        "  return provider.id === 'vercel-ai-gateway' ? createGateway({ apiKey, baseURL }) : undefined;",
        '}',
      ].join('\n'),
    });
    const inv = inventory({ root, packages: gatewayLocked });
    const ai = (await aiStage(inv, { catalog })).analysis;
    const findings = runChecks({ inventory: inv, policy: defaultPolicy(), now: new Date('2026-11-23T12:00:00Z'), tierOf: () => null, ai }).filter((finding) => finding.package?.name === '@ai-sdk/gateway' && finding.ruleId.startsWith('ai-'));
    const row = ai.tools.find((tool) => tool.name === '@ai-sdk/gateway');
    expect(row?.confidence.handlesKeys).toBe('offered');
    expect(row?.evidence).toContainEqual(expect.objectContaining({ file: 'src/provider.ts', line: 3, detail: expect.stringMatching(/^offered only: .*'vercel-ai-gateway'/) }));
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(['low', 'info']).toContain(finding.severity);
      expect(finding.message).toMatch(/Offered only: the project's code uses it only for a provider picked at run time \(src\/provider\.ts:3\)/);
    }
  });

  /** bolt.diy's shape: a class per provider extending one base, registered by a module that exports them all, picked by name from the registry. */
  const FAMILY = {
    'app/llm/base-provider.ts': 'export abstract class BaseProvider { abstract name: string; }',
    'app/llm/providers/open-router.ts': [
      "import OpenAI from 'openai';",
      "import { BaseProvider } from '../base-provider';",
      'export default class OpenRouterProvider extends BaseProvider {',
      "  name = 'OpenRouter';",
      "  getModelInstance(apiKey: string) { return new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey }); }",
      '}',
    ].join('\n'),
    'app/llm/providers/groq.ts': [
      "import OpenAI from 'openai';",
      "import { BaseProvider } from '../base-provider';",
      'export default class GroqProvider extends BaseProvider {',
      "  name = 'Groq';",
      "  getModelInstance(apiKey: string) { return new OpenAI({ baseURL: 'https://api.groq.com/openai/v1', apiKey }); }",
      '}',
    ].join('\n'),
    'app/llm/providers/ollama.ts': ["import { BaseProvider } from '../base-provider';", "export default class OllamaProvider extends BaseProvider { name = 'Ollama'; }"].join('\n'),
    'app/llm/registry.ts': [
      "import OpenRouterProvider from './providers/open-router';",
      "import GroqProvider from './providers/groq';",
      "import OllamaProvider from './providers/ollama';",
      'export { OpenRouterProvider, GroqProvider, OllamaProvider };',
    ].join('\n'),
    'app/llm/manager.ts': [
      "import * as providers from './registry';",
      'export const byName = new Map(Object.values(providers).map((Provider) => { const provider = new Provider(); return [provider.name, provider]; }));',
    ].join('\n'),
  };

  it('a family of provider classes (three or more extending one base, picked from a registry by name): each is offered, named by its class and its name field', async () => {
    const { ai } = await analyse(FAMILY);
    const row = endpoint(ai, 'openrouter.ai');
    expect(row.confidence.handlesKeys).toBe('offered');
    expect(row.endpoint?.routes[0]?.choice).toEqual({ file: 'app/llm/providers/open-router.ts', line: 3, labels: ['OpenRouterProvider', 'OpenRouter'] });
  });

  it('a family member the code also builds by name outside any choice, or one the settings pick (DEFAULT_PROVIDER=OpenRouter), is observed', async () => {
    const direct = await analyse({ ...FAMILY, 'app/llm/default.ts': "import OpenRouterProvider from './providers/open-router';\nexport const fallback = new OpenRouterProvider();" });
    expect(endpoint(direct.ai, 'openrouter.ai').confidence.handlesKeys).toBe('observed');
    const picked = await analyse({ ...FAMILY, '.env.example': 'DEFAULT_PROVIDER=OpenRouter\n' });
    expect(endpoint(picked.ai, 'openrouter.ai').confidence.handlesKeys).toBe('observed');
  });

  /** chatboxai/chatbox's shape: a file per provider registers a definition whose factory builds that provider's model; the registry is read by id. */
  const definition = (file: string, id: string, client: string) =>
    [
      "import OpenAI from 'openai';",
      "import { defineProvider } from '../registry';",
      `export const ${file}Provider = defineProvider({`,
      `  id: ProviderEnum.${id},`,
      `  name: '${id}',`,
      `  createModel: (config) => ${client},`,
      '});',
    ].join('\n');
  const REGISTERED = {
    'src/providers/registry.ts': [
      'const registry = new Map();',
      'export function defineProvider(definition) { registry.set(definition.id, definition); return definition; }',
      'export function getProvider(id) { return registry.get(id); }',
    ].join('\n'),
    'src/providers/definitions/openrouter.ts': definition('openRouter', 'OpenRouter', "new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey: config.apiKey })"),
    'src/providers/definitions/groq.ts': definition('groq', 'Groq', "new OpenAI({ baseURL: 'https://api.groq.com/openai/v1', apiKey: config.apiKey })"),
    'src/providers/definitions/ollama.ts': definition('ollama', 'Ollama', 'null'),
    'src/providers/index.ts': ["import './definitions/openrouter';", "import './definitions/groq';", "import './definitions/ollama';", "export { getProvider } from './registry';"].join('\n'),
  };

  it('a registry filled by one top-level call per provider (defineProvider({ id, createModel })), read by id: each is offered, named by its id and name', async () => {
    const { ai, findings } = await analyse(REGISTERED);
    const row = endpoint(ai, 'openrouter.ai');
    expect(row.confidence.handlesKeys).toBe('offered');
    expect(row.endpoint?.routes[0]?.choice).toEqual({ file: 'src/providers/definitions/openrouter.ts', line: 3, labels: ['OpenRouter'] });
    const gateway = findings.filter((finding) => finding.package?.name === 'openrouter.ai');
    expect(gateway.map((finding) => finding.ruleId)).toContain('ai-tool-handles-keys');
    expect(gateway.every((finding) => finding.severity === 'low')).toBe(true);
    // the same calls made for their effect, without keeping the definition
    const bare = Object.fromEntries(Object.entries(REGISTERED).map(([file, text]) => [file, text.replace(/export const \w+ = defineProvider/, 'defineProvider')]));
    expect(endpoint((await analyse(bare)).ai, 'openrouter.ai').confidence.handlesKeys).toBe('offered');
  });

  it('registrations are no registry when fewer than three are made, or when the definition is also used outside a choice', async () => {
    const two = { ...REGISTERED, 'src/providers/definitions/ollama.ts': 'export const nothing = 1;' };
    expect(endpoint((await analyse(two)).ai, 'openrouter.ai').confidence.handlesKeys).toBe('observed');
    const used = { ...REGISTERED, 'src/app.ts': "import { openRouterProvider } from './providers/definitions/openrouter';\nexport const model = openRouterProvider.createModel({ apiKey: process.env.KEY });" };
    expect(endpoint((await analyse(used)).ai, 'openrouter.ai').confidence.handlesKeys).toBe('observed');
  });

  it("a test inside a case (if (format === 'json')) leaves the case's pick in force: the choice shown is the one that names the endpoint", async () => {
    const { ai } = await analyse({
      'src/llm.ts': [
        "import OpenAI from 'openai';",
        'export function client(provider: string, format: string) {',
        '  switch (provider) {',
        "    case 'openrouter':",
        "      if (format === 'json') return new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', defaultQuery: { format } });",
        "      return new OpenAI({ baseURL: 'https://openrouter.ai/api/v1' });",
        "    case 'groq': return new OpenAI({ baseURL: 'https://api.groq.com/openai/v1' });",
        '  }',
        '}',
      ].join('\n'),
    });
    const row = endpoint(ai, 'openrouter.ai');
    expect(row.confidence.handlesKeys).toBe('offered');
    expect(row.endpoint?.routes.map((route) => route.choice)).toEqual([
      { file: 'src/llm.ts', line: 4, labels: ['openrouter'] },
      { file: 'src/llm.ts', line: 4, labels: ['openrouter'] },
    ]);
  });

  /** mendableai/firecrawl's shape: a table of provider clients kept in a variable, read as `providerList[provider]`. */
  const TABLE = (extra: string[] = []) => ({
    'src/lib/generic-ai.ts': [
      "import { createOpenAI } from '@ai-sdk/openai';",
      "import { createOpenRouter } from '@openrouter/ai-sdk-provider';",
      'const providerList = {',
      '  openai: createOpenAI({ apiKey: process.env.OPENAI_API_KEY }),',
      '  openrouter: createOpenRouter({ apiKey: process.env.OPENROUTER_API_KEY }),',
      '};',
      "export function getModel(name: string, provider: 'openai' | 'openrouter' = 'openai') { return providerList[provider](name); }",
      ...extra,
    ].join('\n'),
  });
  const tableLocked = [lockedPackage({ name: '@ai-sdk/openai', version: '1.3.12', direct: true }), lockedPackage({ name: '@openrouter/ai-sdk-provider', version: '0.4.5', direct: true })];

  it('a table of provider clients read by a computed key: each entry is offered, named by its key; an entry the code reads by name is taken', async () => {
    for (const [extra, expected] of [[[], 'offered'], [["export const fallback = providerList.openrouter('x');"], 'observed']] as const) {
      const root = await project({ 'package.json': '{ "name": "app" }', ...TABLE([...extra]) });
      const ai = (await aiStage(inventory({ root, packages: tableLocked }), { catalog })).analysis;
      const row = endpoint(ai, 'openrouter.ai');
      expect(row.confidence.handlesKeys).toBe(expected);
      if (expected === 'offered') expect(row.endpoint?.routes[0]?.choice).toEqual({ file: 'src/lib/generic-ai.ts', line: 5, labels: ['openrouter'] });
    }
  });

  it("a settings component rendered for one provider (cline: `{config && provider === 'openrouter' && <OpenRouterProvider />}`): the call its hook makes is offered (cline's hook calls the key-information API, which is no LLM call: here it makes one)", async () => {
    const { ai } = await analyse({
      'webview/hooks/useOpenRouterKeyInfo.ts': [
        'async function getKeyInfo(apiKey: string) {',
        "  return fetch('https://openrouter.ai/api/v1/chat/completions', { method: 'POST', headers: { Authorization: `Bearer ${apiKey}` }, body: '{}' });",
        '}',
        'export function useOpenRouterKeyInfo(apiKey: string) { return getKeyInfo(apiKey); }',
      ].join('\n'),
      'webview/providers/OpenRouterProvider.tsx': [
        "import { useOpenRouterKeyInfo } from '../hooks/useOpenRouterKeyInfo';",
        'export const OpenRouterProvider = ({ apiKey }: { apiKey: string }) => { useOpenRouterKeyInfo(apiKey); return <div />; };',
      ].join('\n'),
      'webview/providers/GroqProvider.tsx': "export const GroqProvider = () => { fetch('https://api.groq.com/openai/v1/models', { headers: { Authorization: 'k' } }); return <div />; };",
      'webview/ApiOptions.tsx': [
        "import { OpenRouterProvider } from './providers/OpenRouterProvider';",
        "import { GroqProvider } from './providers/GroqProvider';",
        'export const ApiOptions = ({ config, provider }: { config: { key: string } | null; provider: string }) => (',
        '  <section>',
        "    {config && provider === 'openrouter' && <OpenRouterProvider apiKey={config.key} />}",
        "    {config && provider === 'groq' && <GroqProvider />}",
        '  </section>',
        ');',
      ].join('\n'),
    });
    expect(endpoint(ai, 'openrouter.ai').confidence.handlesKeys).toBe('offered');
    expect(endpoint(ai, 'openrouter.ai').endpoint?.routes[0]?.choice).toEqual({ file: 'webview/ApiOptions.tsx', line: 5, labels: ['openrouter'] });
  });

  it('an unresolved base URL in a choice is listed without a choice: where it leads is unknown, so nothing can be said to name it', async () => {
    const { ai } = await analyse({
      'src/llm.ts': [
        "import OpenAI from 'openai';",
        'export function client(provider: string, settings: { url: string }) {',
        '  switch (provider) {',
        "    case 'openrouter': return new OpenAI({ baseURL: 'https://openrouter.ai/api/v1' });",
        "    case 'custom': return new OpenAI({ baseURL: settings.url });",
        '  }',
        '}',
      ].join('\n'),
    });
    const openai = ai.tools.find((tool) => tool.name === 'openai');
    expect(openai?.unresolved).toHaveLength(1);
    expect(openai?.unresolved[0]).not.toHaveProperty('choice');
  });
});
