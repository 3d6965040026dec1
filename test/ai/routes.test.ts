import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import type { AiAnalysis } from '../../src/ai/classify.js';
import { aiStage, readAiEvidence } from '../../src/ai/stage.js';
import { runChecks } from '../../src/checks/index.js';
import type { LockedPackage } from '../../src/inventory/model.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import type { AiToolReport, Finding } from '../../src/report/model.js';
import { atLeast } from '../../src/model/severity.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { tempProjects } from '../helpers/temp-dirs.js';

const catalog = new CatalogIndex(builtinCatalog);

/** A throwaway project folder, removed after the test. */
const project = tempProjects('aca-routes-');

function packages(direct: string[], transitive: Array<[string, string[]]> = []): LockedPackage[] {
  const split = (id: string) => [id.slice(0, id.lastIndexOf('@')), id.slice(id.lastIndexOf('@') + 1)] as const;
  return [
    ...direct.map((id) => lockedPackage({ name: split(id)[0], version: split(id)[1], direct: true })),
    ...transitive.map(([id, path]) => lockedPackage({ name: split(id)[0], version: split(id)[1], paths: [['app', ...path, split(id)[0]]] })),
  ];
}

async function analyse(root: string, locked: LockedPackage[]): Promise<{ ai: AiAnalysis; findings: Finding[]; notices: string[] }> {
  const inv = inventory({ root, packages: locked });
  const stage = await aiStage(inv, { catalog });
  const ai = stage.analysis;
  const findings = runChecks({ inventory: inv, policy: defaultPolicy(), now: new Date('2026-11-23T12:00:00Z'), tierOf: () => null, ai });
  return { ai, findings: findings.filter((finding) => finding.ruleId.startsWith('ai-')), notices: stage.notices };
}

function row(ai: AiAnalysis, name: string): AiToolReport {
  const found = ai.tools.filter((tool) => tool.name === name);
  expect(found, `${name} in aiTools`).toHaveLength(1);
  return found[0] as AiToolReport;
}

const answers = (tool: AiToolReport) => [tool.requestPath, tool.handlesKeys, tool.sendsPrompts, tool.singlePointOfFailure];
const OBSERVED = { requestPath: 'observed', handlesKeys: 'observed', sendsPrompts: 'observed', singlePointOfFailure: 'observed' };

describe('routes from code, config modules and deployment files (ai-routes fixture)', async () => {
  const { ai, findings, notices } = await analyse(
    join(FIXTURES, 'projects/ai-routes'),
    packages(['openai@6.49.0', '@anthropic-ai/sdk@0.125.0', 'groq-sdk@0.30.0', '@ai-sdk/openai@2.0.88', 'ai@5.0.116', 'portkey-ai@3.1.0'], [['@ai-sdk/gateway@1.0.39', ['ai']]]),
  );

  it.each([
    // OPENAI_BASE_URL in docker-compose `environment` routes `new OpenAI()` built without baseURL
    ['openrouter.ai', 'OpenRouter', 'vendor', ['openai'], 'env', 'src/llm/chat.ts', 4, /OPENAI_BASE_URL points at openrouter\.ai \(docker-compose\.yml:9\)/],
    // Dockerfile ENV ANTHROPIC_BASE_URL → the compose service running the LiteLLM image
    ['litellm', 'LiteLLM Proxy (AI gateway server)', 'self-hosted', ['@anthropic-ai/sdk'], 'env', 'src/llm/claude.ts', 4, /ANTHROPIC_BASE_URL points at litellm \(Dockerfile:7\)/],
    // Helm values set GROQ_BASE_URL to Cloudflare's AI Gateway
    ['gateway.ai.cloudflare.com', 'Cloudflare AI Gateway', 'vendor', ['groq-sdk'], 'env', 'src/jobs/summarizer.service.ts', 14, /charts\/api\/values\.yaml:6/],
    // a base URL constant of a config module, imported elsewhere and spread in conditionally
    ['oai.helicone.ai', 'Helicone (proxy / AI gateway)', 'vendor', ['@ai-sdk/openai'], 'base-url', 'src/llm/helicone.ts', 7, /from src\/config\/ai\.ts/],
    // a local LiteLLM proxy is the project's own, not "BerriAI, a third party"
    ['localhost', 'unknown', 'self-hosted', ['openai'], 'base-url', 'src/llm/local.ts', 5, /localhost/],
    // a Kubernetes env entry points the Portkey client at the project's own gateway
    ['portkey-gateway.ai.svc.cluster.local', 'Portkey', 'self-hosted', ['portkey-ai'], 'env', 'src/llm/escalate.ts', 3, /PORTKEY_GATEWAY_URL/],
    // a plain `provider/model` string in AI SDK 5
    ['ai-gateway.vercel.sh', 'Vercel AI Gateway', 'vendor', ['ai'], 'model-id', 'src/llm/gateway.ts', 5, /openai\/gpt-4o-mini/],
  ] as const)('%s is an endpoint row of its own (%s, %s)', (name, tool, hosting, reachedBy, how, file, line, detail) => {
    const endpoint = row(ai, name);
    expect(endpoint).toMatchObject({ kind: 'endpoint', tool, hosting, confidence: OBSERVED, endpoint: { reachedBy } });
    expect(answers(endpoint)).toEqual(['network-hop', 'forwards', hosting === 'self-hosted' ? 'none' : 'default', true]);
    expect(endpoint.endpoint?.routes).toContainEqual(expect.objectContaining({ how, file, line, detail: expect.stringMatching(detail) }));
  });

  it('lists a direct provider API called with fetch without calling it a hop', () => {
    const perplexity = row(ai, 'api.perplexity.ai');
    expect(perplexity).toMatchObject({ kind: 'endpoint', role: 'provider-api', requestPath: 'none', handlesKeys: 'none', sendsPrompts: 'none', endpoint: { reachedBy: ['fetch'] } });
    expect(findings.filter((finding) => finding.package?.name === 'api.perplexity.ai')).toEqual([]);
  });

  it('takes no docs or privacy link, and no template-literal host, for a route', () => {
    const names = ai.tools.map((tool) => tool.name);
    expect(names).not.toContain('www.helicone.ai');
    expect(names.some((name) => name.startsWith('bedrock'))).toBe(false);
    const openrouter = row(ai, 'openrouter.ai');
    expect(openrouter.evidence.some((item) => item.file === 'src/components/footer.tsx')).toBe(false);
  });

  it('the SDK rows reach their endpoints, and the endpoints carry the findings, once each', () => {
    expect(row(ai, 'openai')).toMatchObject({ kind: 'package', reaches: ['openrouter.ai', 'localhost'], confidence: OBSERVED });
    expect(row(ai, '@ai-sdk/gateway')).toMatchObject({ confidence: OBSERVED, reaches: ['ai-gateway.vercel.sh'] });
    const shown = findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.package?.name} ${finding.location?.file}:${finding.location?.line}`);
    expect(shown.filter((line) => / (openai|@ai-sdk\/openai|groq-sdk|@anthropic-ai\/sdk|portkey-ai|ai|@ai-sdk\/gateway) /.test(line))).toEqual([]);
    expect(shown).toEqual(expect.arrayContaining([
      'high ai-tool-handles-keys openrouter.ai src/llm/chat.ts:4',
      'high ai-tool-handles-keys oai.helicone.ai src/llm/helicone.ts:7',
      'low ai-tool-handles-keys localhost src/llm/local.ts:5',
      'low ai-tool-handles-keys litellm src/llm/claude.ts:4',
      'low ai-tool-handles-keys portkey-gateway.ai.svc.cluster.local src/llm/escalate.ts:3',
    ]));
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('parses the legacy-decorator service the tsconfig allows, and says nothing was skipped', () => {
    expect(row(ai, 'groq-sdk').evidence).toContainEqual(expect.objectContaining({ file: 'src/jobs/summarizer.service.ts' }));
    expect(notices.join('\n')).not.toMatch(/could not be parsed|over the cap/);
  });
});

describe('an AI SDK 5 app that calls providers directly (ai-sdk-direct fixture)', async () => {
  const locked = packages(['ai@5.0.116', '@ai-sdk/openai@2.0.88'], [
    ['@ai-sdk/gateway@1.0.39', ['ai']],
    ['portkey-ai@3.1.0', ['@langchain/community']],
    ['langsmith@0.3.81', ['@langchain/community', '@langchain/core']],
  ]);
  const { ai, findings } = await analyse(join(FIXTURES, 'projects/ai-sdk-direct'), locked);

  it('lists the gateways in the tree as possible, reached by nothing', () => {
    for (const name of ['@ai-sdk/gateway', 'portkey-ai']) {
      const tool = row(ai, name);
      expect(tool.confidence).toEqual({ requestPath: 'possible', handlesKeys: 'possible', sendsPrompts: 'possible', singlePointOfFailure: 'possible' });
      expect(tool.reaches).toEqual([]);
    }
    expect(ai.tools.filter((tool) => tool.kind === 'endpoint')).toEqual([]);
  });

  it('uses the providers it imports by default', () => {
    expect(row(ai, '@ai-sdk/openai')).toMatchObject({ requestPath: 'in-process', confidence: { requestPath: 'default' } });
  });

  it('passes the default gate: possible answers are listed as info, never above', () => {
    const gate = defaultPolicy().failOn;
    expect(findings.filter((finding) => atLeast(finding.severity, gate))).toEqual([]);
    expect(findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
    const gateway = findings.find((finding) => finding.package?.name === '@ai-sdk/gateway' && finding.ruleId === 'ai-tool-handles-keys');
    expect(gateway).toMatchObject({ severity: 'info', evidence: expect.objectContaining({ confidence: 'possible' }), message: expect.stringMatching(/Possible only/) });
  });

  it('the same gateway becomes observed once the project sets its key', async () => {
    const dir = await project({
      '.env.example': 'AI_GATEWAY_API_KEY=\n',
    });
    const { ai: keyed, findings: keyedFindings } = await analyse(dir, locked);
    expect(row(keyed, '@ai-sdk/gateway').confidence.handlesKeys).toBe('observed');
    expect(row(keyed, 'ai-gateway.vercel.sh').endpoint?.routes).toContainEqual(expect.objectContaining({ how: 'env', file: '.env.example', line: 1 }));
    expect(keyedFindings).toContainEqual(expect.objectContaining({ ruleId: 'ai-tool-handles-keys', severity: 'high', package: { name: 'ai-gateway.vercel.sh', version: null } }));
  });
});

describe('when nothing AI-shaped is found', () => {
  it('says so, with what was read', async () => {
    const dir = await project({
      'index.ts': "import express from 'express';\nexpress().listen(3000);\n",
      '.env': 'PORT=3000\n',
    });
    const { ai, notices } = await analyse(dir, packages(['express@5.1.0']));
    expect(ai.tools).toEqual([]);
    expect(notices).toContain('AI analysis: no AI packages, AI endpoints or provider API calls found in the lockfile, 1 source file(s) and 1 other project file(s).');
  });

  it('a project that calls a provider with fetch only has a row for it, and no such notice', async () => {
    const dir = await project({
      'ask.mjs': "export const ask = (q) => fetch('https://api.deepseek.com/chat/completions', { method: 'POST', body: JSON.stringify({ q }) });\n",
    });
    const { ai, notices } = await analyse(dir, []);
    expect(row(ai, 'api.deepseek.com')).toMatchObject({ kind: 'endpoint', role: 'provider-api', requestPath: 'none' });
    expect(notices.join('\n')).not.toMatch(/no AI packages/);
  });
});

describe('source coverage', () => {
  it('reads files that import AI packages first, and names each reason a file was left out', async () => {
    const dir = await project({
      'a-util.ts': 'export const add = (a: number, b: number) => a + b;\n',
      'b-broken.ts': 'export const = ;;; {\n',
      'z-llm.ts': "import OpenAI from 'openai';\nexport const client = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1' });\n",
    });
    const inv = inventory({ root: dir, packages: packages(['openai@6.49.0']) });
    const capped = await readAiEvidence(inv, { catalog, maxSourceFiles: 1 });
    expect(capped.signals).toContainEqual(expect.objectContaining({ file: 'z-llm.ts', fact: expect.objectContaining({ type: 'client' }) }));
    expect(capped.notices).toContainEqual(expect.stringMatching(/^AI analysis: 2 source file\(s\) over the cap were not read .*raise the cap with --max-source-files\.$/));
    const all = await readAiEvidence(inv, { catalog, maxSourceFiles: 10 });
    expect(all.notices).toContainEqual(expect.stringMatching(/^AI analysis: 1 source file\(s\) could not be parsed and were not read \(first: b-broken\.ts: .+\)\.$/));
    expect(all.notices.join('\n')).not.toMatch(/over the cap/);
  });
});

describe('plain HTTP calls', () => {
  it.each([
    // the app's own API, a docs host, an analytics call: not LLM routes
    ["fetch('https://api.example.com/api/messages', { method: 'POST' })", null],
    ["fetch('https://hooks.example.com/v1/models')", null],
    // an uncatalogued host serving an LLM API path is a hop through an unknown party
    ["fetch('https://llm.example.com/v1/chat/completions', { method: 'POST' })", 'llm.example.com'],
    // axios to a catalogued gateway
    ["import axios from 'axios';\naxios.post('https://openrouter.ai/api/v1/chat/completions', body)", 'openrouter.ai'],
    // a model-list lookup sends a gateway neither a key nor a prompt (Mintplex-Labs/anything-llm's fetchOpenRouterModels)
    ["fetch('https://openrouter.ai/api/v1/models')", null],
    ["fetch(`https://openrouter.ai/api/v1/models`, { method: 'GET', headers: { 'Content-Type': 'application/json' } })", null],
    ["import axios from 'axios';\naxios.get('https://openrouter.ai/api/v1/models', { timeout: 5000 })", null],
    ["fetch('https://api.cerebras.ai/public/v1/models').then((res) => res.json())", null],
    // …but a key in a header, in the query or in options the code does not show, a body or another method is a route
    ["fetch('https://openrouter.ai/api/v1/models', { headers: { 'X-Api-Key': key } })", 'openrouter.ai'],
    ["fetch('https://openrouter.ai/api/v1/models', { headers: { Authorization: `Bearer ${key}` } })", 'openrouter.ai'],
    ["fetch('https://openrouter.ai/api/v1/models', { headers })", 'openrouter.ai'],
    ["fetch('https://openrouter.ai/api/v1/models', options)", 'openrouter.ai'],
    ["fetch('https://openrouter.ai/api/v1/models', { ...init })", 'openrouter.ai'],
    ["fetch(`https://openrouter.ai/api/v1/models?api_key=${key}`)", 'openrouter.ai'],
    ["fetch(`https://openrouter.ai/api/v1/models?page=${page}`)", 'openrouter.ai'],
    ["fetch('https://openrouter.ai/api/v1/models', { method })", 'openrouter.ai'],
    ["fetch('https://openrouter.ai/api/v1/models', { method: 'POST', body: JSON.stringify({ code }) })", 'openrouter.ai'],
    ["import axios from 'axios';\naxios.get('https://openrouter.ai/api/v1/models', { params: { key } })", 'openrouter.ai'],
    ["import axios from 'axios';\naxios({ url: 'https://openrouter.ai/api/v1/models', method: 'get', headers: { authorization: key } })", 'openrouter.ai'],
    // a client made for a base URL is a route to it, whatever its first request (di-sukharev/opencommit's engines)
    ["import axios from 'axios';\nexport const client = axios.create({ baseURL: 'https://openrouter.ai/api/v1/chat/completions', headers: { Authorization: `Bearer ${key}` } });", 'openrouter.ai'],
    ["import axios from 'axios';\nexport const client = axios.create({ baseURL: config.baseURL || 'https://api.aimlapi.com/v1/chat/completions' });", 'api.aimlapi.com'],
    ["import ky from 'ky';\nexport const api = ky.create({ prefixUrl: 'https://openrouter.ai/api/v1' });", 'openrouter.ai'],
    ["import axios from 'axios';\nexport const client = axios.create({ baseURL: 'https://api.example.com/v2' });", null],
  ])('%s → %s', async (code, endpoint) => {
    const dir = await project({
      'call.ts': `${code};\n`,
    });
    const { ai } = await analyse(dir, []);
    expect(ai.tools.filter((tool) => tool.kind === 'endpoint').map((tool) => tool.name)).toEqual(endpoint ? [endpoint] : []);
  });

  it('a URL read from a constants module imported whole (`import * as C`, `C.OPENROUTER_URL`) is that module\'s export', async () => {
    const dir = await project({
      'src/constants.ts': "export const OPENROUTER_URL = 'https://openrouter.ai/api/v1/chat/completions';",
      'src/call.ts': "import * as C from './constants';\nexport const ask = (body: string) => fetch(C.OPENROUTER_URL, { method: 'POST', body });\n",
    });
    const { ai } = await analyse(dir, []);
    const found = row(ai, 'openrouter.ai');
    expect(found.confidence.handlesKeys).toBe('observed');
    expect(found.endpoint?.routes.map((route) => `${route.file}:${route.line}`)).toEqual(['src/call.ts:2']);
  });
});

describe('a chat server that forwards requests to the provider the user picked (ChatGPTNextWeb/NextChat)', () => {
  it("a route to 302.AI's aggregator is a hop through 302.AI; one to DeepSeek's own API is a direct call", async () => {
    const forward = (constant: string, setting: string) => [
      `import { ${constant} } from '../constant';`,
      "import { getServerSideConfig } from '../config/server';",
      'const serverConfig = getServerSideConfig();',
      'export async function request(req: Request, path: string) {',
      `  let baseUrl = serverConfig.${setting} || ${constant};`,
      "  if (!baseUrl.startsWith('http')) baseUrl = `https://${baseUrl}`;",
      '  const fetchUrl = `${baseUrl}${path}`;',
      "  const fetchOptions = { headers: { Authorization: req.headers.get('Authorization') ?? '' }, method: req.method, body: req.body };",
      '  return fetch(fetchUrl, fetchOptions);',
      '}',
      '',
    ].join('\n');
    const dir = await project({
      'app/constant.ts': "export const AI302_BASE_URL = 'https://api.302.ai';\nexport const DEEPSEEK_BASE_URL = 'https://api.deepseek.com';\n",
      'app/api/302ai.ts': forward('AI302_BASE_URL', 'ai302Url'),
      'app/api/deepseek.ts': forward('DEEPSEEK_BASE_URL', 'deepseekUrl'),
    });
    const { ai, findings } = await analyse(dir, []);
    expect(row(ai, 'api.302.ai')).toMatchObject({ kind: 'endpoint', tool: '302.AI', role: 'gateway-client', hosting: 'vendor', endpoint: { reachedBy: ['fetch'] } });
    expect(answers(row(ai, 'api.302.ai'))).toEqual(['network-hop', 'forwards', 'default', true]);
    expect(row(ai, 'api.deepseek.com')).toMatchObject({ role: 'provider-api', requestPath: 'none', handlesKeys: 'none', sendsPrompts: 'none' });
    expect(findings.filter((finding) => atLeast(finding.severity, 'high')).map((finding) => finding.package?.name)).toEqual(['api.302.ai']);
  });
});

describe("Hugging Face's router (huggingface/chat-ui)", () => {
  it('an OpenAI client sent to router.huggingface.co by .env goes through a hosted router', async () => {
    const dir = await project({
      '.env': 'OPENAI_BASE_URL=https://router.huggingface.co/v1\nOPENAI_API_KEY=\n',
      'src/endpoint.ts': [
        "import OpenAI from 'openai';",
        'export function client() {',
        '  return new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL });',
        '}',
        '',
      ].join('\n'),
    });
    const { ai, findings } = await analyse(dir, packages(['openai@4.104.0', '@huggingface/inference@4.13.23']));
    const router = row(ai, 'router.huggingface.co');
    expect(router).toMatchObject({ kind: 'endpoint', tool: 'Hugging Face Inference Providers', hosting: 'vendor', confidence: OBSERVED });
    expect(answers(router)).toEqual(['network-hop', 'forwards', 'default', true]);
    expect(row(ai, 'openai').via).toMatch(/router\.huggingface\.co/);
    expect(findings.filter((finding) => atLeast(finding.severity, 'high')).map((finding) => [finding.ruleId, finding.package?.name])).toEqual([['ai-tool-handles-keys', 'router.huggingface.co']]);
  });
});

describe('single-file components (Svelte, Vue, Astro)', () => {
  it('reads the code of their <script> blocks and frontmatter at its own lines, and not their markup', async () => {
    const dir = await project({
      'src/routes/Chat.svelte': [
        '<script lang="ts">',
        "  import OpenAI from 'openai';",
        "  const client = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey: key, dangerouslyAllowBrowser: true });",
        '</script>',
        '',
        '<a href="https://api.302.ai/v1/chat/completions">docs</a>',
        '',
      ].join('\n'),
      'src/components/Ask.vue': [
        '<template><p>{{ answer }}</p></template>',
        '<script setup>',
        "const answer = await fetch('https://api.302.ai/v1/chat/completions', { method: 'POST', body });",
        '</script>',
        '',
      ].join('\n'),
      'src/pages/index.astro': ['---', "import { Portkey } from 'portkey-ai';", "const portkey = new Portkey({ apiKey: import.meta.env.PORTKEY_API_KEY, virtualKey: 'openai-vk' });", '---', '<h1>hi</h1>', ''].join('\n'),
    });
    const { ai } = await analyse(dir, packages(['openai@4.104.0', 'portkey-ai@1.10.1']));
    expect(row(ai, 'openrouter.ai').endpoint?.routes).toEqual([expect.objectContaining({ file: 'src/routes/Chat.svelte', line: 3 })]);
    // the Vue component's POST is a route; the Svelte file's link to the same host is not
    expect(row(ai, 'api.302.ai').endpoint?.routes).toEqual([expect.objectContaining({ file: 'src/components/Ask.vue', line: 3 })]);
    expect(row(ai, 'portkey-ai')).toMatchObject({ confidence: { requestPath: 'observed' } });
    expect(row(ai, 'portkey-ai').evidence).toContainEqual(expect.objectContaining({ file: 'src/pages/index.astro', line: 3 }));
  });
});

describe('deployment files', () => {
  it("are not the project's pnpm lockfile: a large one drew a 'could not be read' notice (assistant-ui/assistant-ui)", async () => {
    const dir = await project({
      'pnpm-lock.yaml': `lockfileVersion: '9.0'\n${'#'.repeat(1_100_000)}\n`,
      'deploy/compose.yaml': 'services:\n  proxy:\n    image: ghcr.io/berriai/litellm:main-latest\n',
    });
    const { ai, notices } = await analyse(dir, []);
    expect(notices.filter((notice) => notice.includes('pnpm-lock.yaml'))).toEqual([]);
    // the compose file beside it is still read
    expect(ai.tools.map((tool) => tool.name)).toContain('ghcr.io/berriai/litellm');
  });
});

describe('catalog answers scoped to releases (@huggingface/inference)', () => {
  const app = {
    'src/chat.ts': [
      "import { InferenceClient } from '@huggingface/inference';",
      'const client = new InferenceClient(process.env.HF_TOKEN);',
      "export const ask = (prompt: string) => client.chatCompletion({ model: 'meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: prompt }] });",
      '',
    ].join('\n'),
  };

  it("4.x, whose default provider is 'auto', goes through Hugging Face's router", async () => {
    const { ai, findings } = await analyse(await project(app), packages(['@huggingface/inference@4.13.23']));
    expect(row(ai, '@huggingface/inference')).toMatchObject({ tool: 'Hugging Face Inference Providers', role: 'gateway-client', requestPath: 'network-hop', confidence: OBSERVED });
    expect(row(ai, 'router.huggingface.co').endpoint?.reachedBy).toEqual(['@huggingface/inference']);
    expect(findings.filter((finding) => atLeast(finding.severity, 'high')).map((finding) => finding.package?.name)).toContain('router.huggingface.co');
  });

  it('2.x, which calls Hugging Face\'s own Inference API, is not given the router\'s answers', async () => {
    const { ai, findings } = await analyse(await project(app), packages(['@huggingface/inference@2.7.0']));
    expect(ai.tools.map((tool) => tool.name)).toEqual([]);
    expect(findings).toEqual([]);
  });
});

describe('type-only imports', () => {
  it.each([
    ["import type { PortkeyConfig } from 'portkey-ai';", 'possible'],
    ["import { type PortkeyConfig, type Message } from 'portkey-ai';", 'possible'],
    ["export type { PortkeyConfig } from 'portkey-ai';", 'possible'],
    // named constants only: nothing of the package calls anyone (huggingface/chat-ui's PROVIDERS_HUB_ORGS)
    ["import { PORTKEY_GATEWAY_URL } from 'portkey-ai';", 'possible'],
    // a value import runs the package's code
    ["import { Portkey } from 'portkey-ai';\nexport const Client = Portkey;", 'default'],
    ["import { Portkey, PORTKEY_GATEWAY_URL } from 'portkey-ai';", 'default'],
    ["import { API } from 'portkey-ai';", 'default'],
  ])('%s → %s', async (code, confidence) => {
    const dir = await project({ 'src/types.ts': `${code}\nexport const x = 1;\n` });
    const { ai } = await analyse(dir, packages(['portkey-ai@1.10.1']));
    expect(row(ai, 'portkey-ai').confidence.requestPath).toBe(confidence);
  });
});

describe('provider SDK base URLs (the multi-provider chat app pattern)', () => {
  it("the AI SDK's provider packages are the providers' SDKs: direct by default, a hop where a base URL points elsewhere (e2b-dev/fragments' lib/models.ts)", async () => {
    const dir = await project({
      'models.ts': [
        "import { createAnthropic } from '@ai-sdk/anthropic';",
        "import { createFireworks } from '@ai-sdk/fireworks';",
        "import { createGoogleGenerativeAI } from '@ai-sdk/google';",
        "import { createMistral } from '@ai-sdk/mistral';",
        'export const models = {',
        '  anthropic: (id: string) => createAnthropic({ apiKey: process.env.ANTHROPIC_API_KEY })(id),',
        '  google: (id: string) => createGoogleGenerativeAI({ apiKey: process.env.GOOGLE_GENERATIVE_AI_API_KEY })(id),',
        "  fireworks: (id: string) => createFireworks({ apiKey: process.env.FIREWORKS_API_KEY, baseURL: 'https://api.fireworks.ai/inference/v1' })(id),",
        "  mistral: (id: string) => createMistral({ baseURL: 'https://gateway.ai.cloudflare.com/v1/acct/gw/mistral' })(id),",
        '};',
        '',
      ].join('\n'),
    });
    const { ai } = await analyse(dir, packages(['@ai-sdk/anthropic@1.2.12', '@ai-sdk/fireworks@0.2.16', '@ai-sdk/google@1.2.22', '@ai-sdk/mistral@1.2.8']));
    for (const name of ['@ai-sdk/anthropic', '@ai-sdk/google', '@ai-sdk/fireworks']) {
      expect(row(ai, name), name).toMatchObject({ role: 'provider-sdk', requestPath: 'in-process', handlesKeys: 'in-process', sendsPrompts: 'none', via: null });
    }
    expect(row(ai, '@ai-sdk/mistral')).toMatchObject({ requestPath: 'network-hop', reaches: ['gateway.ai.cloudflare.com'] });
    expect(row(ai, 'gateway.ai.cloudflare.com')).toMatchObject({ kind: 'endpoint', tool: 'Cloudflare AI Gateway' });
  });

  it('a base URL with a default: the default, what an .env file sets, and a setting that can override it (e2b-dev/fragments)', async () => {
    const dir = await project({
      '.env': 'OPENAI_BASE_URL=https://openrouter.ai/api/v1\n',
      'clients.ts': [
        "import OpenAI from 'openai';",
        "import { createOpenAI } from '@ai-sdk/openai';",
        "export const main = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1' });",
        'export function groq(config: { apiKey?: string; baseURL?: string }) {',
        "  return createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL || 'https://api.groq.com/openai/v1' });",
        '}',
        '',
      ].join('\n'),
    });
    const { ai, findings } = await analyse(dir, packages(['openai@6.49.0', '@ai-sdk/openai@1.3.24']));
    // the .env file sends the OpenAI client through OpenRouter, whatever the default
    expect(row(ai, 'openai')).toMatchObject({ requestPath: 'network-hop', reaches: ['openrouter.ai'] });
    expect(findings.find((finding) => finding.ruleId === 'ai-tool-handles-keys')).toMatchObject({ package: { name: 'openrouter.ai' }, location: { file: 'clients.ts', line: 3 } });
    // Groq by default (direct), but a caller's setting may point anywhere
    const sdk = row(ai, '@ai-sdk/openai');
    expect(sdk).toMatchObject({ requestPath: 'in-process', reaches: [] });
    expect(sdk.unresolved).toEqual([expect.objectContaining({ file: 'clients.ts', line: 5, detail: expect.stringMatching(/override its default \(api\.groq\.com\)/) })]);
  });

  it('a client built from an options variable whose base URL and gateway headers are assigned later (Nutlope/blinkshot)', async () => {
    const dir = await project({
      'route.ts': [
        "import Together from 'together-ai';",
        'export async function POST(userAPIKey?: string) {',
        '  let options: ConstructorParameters<typeof Together>[0] = {};',
        '  if (process.env.HELICONE_API_KEY) {',
        "    options.baseURL = 'https://together.helicone.ai/v1';",
        "    options.defaultHeaders = { 'Helicone-Auth': `Bearer ${process.env.HELICONE_API_KEY}` };",
        '  }',
        '  const client = new Together(options);',
        '  if (userAPIKey) client.apiKey = userAPIKey;',
        '  return client;',
        '}',
        '',
      ].join('\n'),
    });
    const { ai, findings } = await analyse(dir, packages(['together-ai@0.6.0-alpha.4']));
    expect(row(ai, 'together-ai')).toMatchObject({ requestPath: 'network-hop', reaches: ['together.helicone.ai'] });
    expect(row(ai, 'together.helicone.ai')).toMatchObject({ kind: 'endpoint', tool: 'Helicone (proxy / AI gateway)', hosting: 'vendor' });
    expect(findings.find((finding) => finding.ruleId === 'ai-tool-handles-keys')).toMatchObject({ package: { name: 'together.helicone.ai' }, location: { file: 'route.ts', line: 8 } });
  });

  it("a provider's own OpenAI-compatible API reached with its own key is that provider, not a hop through an unknown party (e2b-dev/fragments' lib/morph.ts)", async () => {
    const dir = await project({
      'morph.ts': [
        "import { createOpenAI } from '@ai-sdk/openai';",
        "import { generateText } from 'ai';",
        'export async function applyEdit(prompt: string, apiKey?: string) {',
        '  const openai = createOpenAI({',
        '    apiKey: apiKey || process.env.MORPH_API_KEY,',
        "    baseURL: 'https://api.morphllm.com/v1',",
        '  });',
        "  return generateText({ model: openai('morph-v3-large'), prompt });",
        '}',
        '',
      ].join('\n'),
    });
    const { ai, findings } = await analyse(dir, packages(['@ai-sdk/openai@1.3.24', 'ai@3.4.33']));
    // as for an OpenAI client pointed at Groq or Perplexity: the SDK calls the provider directly, no endpoint row
    expect(row(ai, '@ai-sdk/openai')).toMatchObject({ requestPath: 'in-process', reaches: [], via: null });
    expect(ai.tools.filter((tool) => tool.kind === 'endpoint')).toEqual([]);
    expect(findings.filter((finding) => atLeast(finding.severity, 'medium'))).toEqual([]);
  });


  it("providers' own OpenAI-compatible APIs are direct, an aggregator's is a hop through its vendor (Mintplex-Labs/anything-llm)", async () => {
    const dir = await project({
      'providers.js': [
        "const { OpenAI: OpenAIApi } = require('openai');",
        "const minimax = new OpenAIApi({ baseURL: 'https://api.minimax.io/v1', apiKey: process.env.MINIMAX_API_KEY });",
        "const gitee = new OpenAIApi({ baseURL: 'https://ai.gitee.com/v1', apiKey: process.env.GITEE_AI_API_KEY });",
        "const ppio = new OpenAIApi({ baseURL: 'https://api.ppinfra.com/v3/openai', apiKey: process.env.PPIO_API_KEY });",
        "const siliconflow = new OpenAIApi({ baseURL: 'https://api.siliconflow.cn/v1', apiKey: process.env.SILICONFLOW_API_KEY });",
        "const comet = new OpenAIApi({ baseURL: 'https://api.cometapi.com/v1', apiKey: process.env.COMETAPI_LLM_API_KEY });",
        // OpenAI's ChatGPT backend, where Codex sends a ChatGPT subscriber's calls (RooCodeInc/Roo-Code's openai-codex provider)
        "const codex = new OpenAIApi({ baseURL: 'https://chatgpt.com/backend-api/codex', apiKey: accessToken });",
        // GitHub Models, for a GitHub token (stackblitz-labs/bolt.diy)
        "const github = new OpenAIApi({ baseURL: 'https://models.github.ai/inference', apiKey: process.env.GITHUB_API_KEY });",
        'module.exports = { minimax, gitee, ppio, siliconflow, comet, codex, github };',
        '',
      ].join('\n'),
    });
    const { ai, findings } = await analyse(dir, packages(['openai@4.95.1']));
    expect(ai.tools.filter((tool) => tool.kind === 'endpoint').map((tool) => tool.name)).toEqual(['api.cometapi.com']);
    expect(row(ai, 'api.cometapi.com')).toMatchObject({ role: 'gateway-client', tool: 'CometAPI', vendor: 'CometAPI', hosting: 'vendor', handlesKeys: 'forwards', sendsPrompts: 'default' });
    expect(findings.filter((finding) => atLeast(finding.severity, 'high')).map((finding) => finding.package?.name)).toEqual(['api.cometapi.com']);
  });

  it('a Together client sent through Helicone is a hop; the AI SDK Together provider left at its default is direct (Nutlope/turboseek)', async () => {
    const dir = await project({
      'utils/clients.ts': [
        "import Together from 'together-ai';",
        "import { createTogetherAI } from '@ai-sdk/togetherai';",
        'export const togetherClient = new Together({',
        '  apiKey: process.env.TOGETHER_API_KEY,',
        "  baseURL: 'https://together.helicone.ai/v1',",
        '  defaultHeaders: { "Helicone-Auth": `Bearer ${process.env.HELICONE_API_KEY}` },',
        '});',
        "export const togetherClientAISDK = createTogetherAI({ apiKey: process.env.TOGETHER_API_KEY ?? '' });",
        '',
      ].join('\n'),
    });
    const { ai } = await analyse(dir, packages(['together-ai@0.32.0', '@ai-sdk/togetherai@1.0.29']));
    expect(row(ai, 'together.helicone.ai')).toMatchObject({ kind: 'endpoint', tool: 'Helicone (proxy / AI gateway)', hosting: 'vendor', endpoint: { reachedBy: ['together-ai'] } });
    expect(row(ai, '@ai-sdk/togetherai')).toMatchObject({ tool: 'AI SDK Together.ai provider', role: 'provider-sdk', requestPath: 'in-process', reaches: [] });
  });

  it("LangChain's chat models take the client's base URL from their nested client options (anything-llm's ai-provider.js)", async () => {
    const dir = await project({
      'ai-provider.js': [
        "const { ChatOpenAI } = require('@langchain/openai');",
        "const { ChatAnthropic } = require('@langchain/anthropic');",
        'function chatModel(provider, config = {}) {',
        "  if (provider === 'groq') return new ChatOpenAI({ configuration: { baseURL: 'https://api.groq.com/openai/v1' }, apiKey: process.env.GROQ_API_KEY, ...config });",
        "  if (provider === 'openrouter') return new ChatOpenAI({ configuration: { baseURL: 'https://openrouter.ai/api/v1', defaultHeaders: { 'X-Title': 'App' } }, apiKey: process.env.OPENROUTER_API_KEY, ...config });",
        "  if (provider === 'litellm') return new ChatOpenAI({ configuration: { baseURL: 'http://127.0.0.1:4000' }, apiKey: process.env.LITE_LLM_API_KEY, ...config });",
        "  if (provider === 'helicone') return new ChatAnthropic({ clientOptions: { baseURL: 'https://anthropic.helicone.ai' }, apiKey: process.env.ANTHROPIC_API_KEY });",
        "  return new ChatAnthropic({ anthropicApiUrl: 'https://api.cometapi.com', apiKey: process.env.COMETAPI_KEY });",
        '}',
        'module.exports = { chatModel };',
        '',
      ].join('\n'),
    });
    const { ai } = await analyse(dir, packages(['@langchain/openai@0.0.28', '@langchain/anthropic@0.3.20']));
    const endpoints = ai.tools.filter((tool) => tool.kind === 'endpoint');
    expect(endpoints.map((tool) => [tool.name, tool.endpoint?.reachedBy])).toEqual(
      expect.arrayContaining([
        ['openrouter.ai', ['@langchain/openai']],
        ['127.0.0.1', ['@langchain/openai']],
        ['anthropic.helicone.ai', ['@langchain/anthropic']],
        ['api.cometapi.com', ['@langchain/anthropic']],
      ]),
    );
    // Groq's own API is a direct call, not an endpoint row
    expect(endpoints.map((tool) => tool.name).sort()).toEqual(['127.0.0.1', 'anthropic.helicone.ai', 'api.cometapi.com', 'openrouter.ai']);
  });

  it('nested client options built in a variable first are read too (nanobrowser: `configuration.baseURL = providerConfig.baseUrl`, then `args.configuration = configuration`)', async () => {
    const dir = await project({
      'helper.ts': [
        "import { ChatOpenAI } from '@langchain/openai';",
        'export function createChatModel(providerConfig: { apiKey: string; baseUrl?: string }, modelName: string) {',
        '  const args: Record<string, unknown> = { model: modelName, apiKey: providerConfig.apiKey };',
        '  const configuration: Record<string, unknown> = {};',
        '  if (providerConfig.baseUrl) configuration.baseURL = providerConfig.baseUrl;',
        '  args.configuration = configuration;',
        '  return new ChatOpenAI(args);',
        '}',
        // another function's `args`, built without a base URL: the first one's members are not its own
        'export function createAzureModel(apiKey: string) {',
        '  const args: Record<string, unknown> = { apiKey, azureOpenAIApiDeploymentName: "gpt-4o" };',
        '  return new ChatOpenAI(args);',
        '}',
      ].join('\n'),
    });
    const { ai } = await analyse(dir, packages(['@langchain/openai@0.0.28']));
    expect(row(ai, '@langchain/openai').unresolved).toEqual([expect.objectContaining({ file: 'helper.ts', line: 7, detail: expect.stringMatching(/computed at run time: it may point at a gateway/) })]);
  });

  it('an OpenAI client pointed at another provider is direct; a user-set or computed base URL is unresolved, not a hop', async () => {
    const dir = await project({
      'routes.ts': [
        "import OpenAI from 'openai';",
        "export const perplexity = new OpenAI({ apiKey: key, baseURL: 'https://api.perplexity.ai/' });",
        "export const groq = new OpenAI({ apiKey: key, baseURL: 'https://api.groq.com/openai/v1' });",
        'const ENDPOINT = profile.azure_openai_endpoint;',
        'export const azure = new OpenAI({ apiKey: key, baseURL: `${ENDPOINT}/openai/deployments/${deployment}` });',
        'export const custom = new OpenAI({ apiKey: key, baseURL: customModel.base_url });',
        '',
      ].join('\n'),
    });
    const { ai, findings } = await analyse(dir, packages(['openai@6.49.0']));
    const openai = row(ai, 'openai');
    expect(openai).toMatchObject({ requestPath: 'in-process', reaches: [], via: null });
    expect(openai.unresolved.map((route) => route.line)).toEqual([5, 6]);
    expect(ai.tools.filter((tool) => tool.kind === 'endpoint')).toEqual([]);
    expect(findings).toEqual([]);
  });
});
