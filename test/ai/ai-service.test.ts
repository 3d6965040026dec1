import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/formats/index.js';
import type { AiToolReport, Report } from '../../src/report/model.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { expectValidReport } from '../helpers/report-schema.js';
import { serveAiService, type ServedAiService } from './serve-ai-service.js';

let served: ServedAiService;
let report: Report;

beforeAll(async () => {
  served = await serveAiService();
  const run = await cli([served.dir, '--json', '--fail-on', 'none'], served.env);
  expect(run.stderr).toBe('');
  report = JSON.parse(run.stdout) as Report;
});
afterAll(async () => {
  await served.close();
});

function tool(name: string, version?: string): AiToolReport {
  const found = report.aiTools.filter((item) => item.name === name && (version === undefined || item.version === version));
  expect(found, `${name}${version ? `@${version}` : ''} in aiTools`).toHaveLength(1);
  return found[0] as AiToolReport;
}

const answers = (item: AiToolReport) => [item.requestPath, item.handlesKeys, item.sendsPrompts, item.singlePointOfFailure];

describe('a TypeScript support service with every kind of AI tool', () => {
  it('validates against the report schema and reads every AI package tarball', () => {
    expectValidReport(report);
    expect(report.errors).toEqual([]);
    expect(report.notices.join('\n')).not.toMatch(/could not be read|was not read/);
  });

  it.each([
    // an OpenAI client whose baseURL is OpenRouter: a hosted hop that gets keys and prompts
    ['openai', '6.49.0', 'provider-sdk', ['network-hop', 'forwards', 'default', true], 'vendor', /OpenRouter \(openrouter\.ai\)/],
    // Portkey's SDK with the hosted gateway (no baseURL): the catalog default
    ['portkey-ai', '3.1.0', 'gateway-client', ['network-hop', 'forwards', 'default', true], 'vendor', null],
    // Anthropic client whose base URL (.env) is the compose service running LiteLLM: a self-hosted hop
    ['@anthropic-ai/sdk', '0.125.0', 'provider-sdk', ['network-hop', 'forwards', 'none', true], 'self-hosted', /LiteLLM .*self-hosted, litellm/],
    // in-process tracing wrapper
    ['langfuse', '3.39.2', 'in-process-wrapper', ['in-process', 'none', 'default', false], 'vendor', null],
    // analytics wrapper
    ['@posthog/ai', '8.13.1', 'in-process-wrapper', ['in-process', 'none', 'default', false], 'vendor', null],
    // passive usage meter
    ['@openmeter/sdk', '1.0.0-beta.232', 'passive-metadata', ['none', 'none', 'none', false], null, null],
    // local cost calculator
    ['llm-cost', '1.0.5', 'cost-calculator', ['none', 'none', 'none', false], null, null],
    // the copy of openai nested under portkey-ai is not what the project's `import 'openai'` gets
    ['openai', '6.8.1', 'provider-sdk', ['in-process', 'in-process', 'none', false], null, null],
  ] as const)('%s@%s: %s with the right four answers', (name, version, role, expected, hosting, via) => {
    const item = tool(name, version);
    expect(item.role).toBe(role);
    expect(answers(item)).toEqual(expected);
    expect(item.hosting).toBe(hosting);
    if (via) expect(item.via).toMatch(via);
    else expect(item.via).toBeNull();
  });

  it('reports the self-hosted LiteLLM proxy from docker-compose and requirements.txt as one gateway', () => {
    const proxy = tool('ghcr.io/berriai/litellm');
    expect(proxy).toMatchObject({ origin: 'container', version: 'main-latest', role: 'gateway-server', hosting: 'self-hosted', tier: 'gateway' });
    expect(answers(proxy)).toEqual(['network-hop', 'forwards', 'none', true]);
    expect(proxy.evidence).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'deploy', file: 'docker-compose.yml', line: 11 }),
      expect.objectContaining({ kind: 'deploy', file: 'proxy/requirements.txt', line: 2 }),
    ]));
  });

  it('backs every changed answer with evidence at a file and line', () => {
    const openai = tool('openai', '6.49.0');
    expect(openai.evidence).toContainEqual(expect.objectContaining({ kind: 'source', file: 'src/llm/router.ts', line: 4, supports: expect.arrayContaining(['requestPath', 'handlesKeys', 'sendsPrompts']) }));
    const claude = tool('@anthropic-ai/sdk');
    expect(claude.evidence).toContainEqual(expect.objectContaining({ kind: 'source', file: 'src/llm/claude.ts', line: 6 }));
    expect(claude.evidence).toContainEqual(expect.objectContaining({ kind: 'config', file: '.env', line: 9, detail: 'LLM_PROXY_URL points at litellm' }));
    expect(tool('langfuse').evidence).toContainEqual(expect.objectContaining({ kind: 'source', file: 'src/observability/tracing.ts', line: 5, detail: 'calls observeOpenAI(…) from langfuse' }));
    expect(tool('llm-cost').evidence).toContainEqual(expect.objectContaining({ file: 'src/billing/cost.ts', line: 5 }));
  });

  it('adds what the published code shows, from the tarball, and skips its examples', () => {
    const portkey = tool('portkey-ai');
    expect(portkey.evidence).toContainEqual(expect.objectContaining({ kind: 'package', detail: 'published code names host api.portkey.ai', file: 'portkey-ai@3.1.0/dist/src/constants.js', line: 2 }));
    expect(portkey.evidence).toContainEqual(expect.objectContaining({ kind: 'package', detail: 'published code reads PORTKEY_API_KEY' }));
    expect(JSON.stringify(portkey.evidence)).not.toContain('portkeydev-example');
    expect(tool('langfuse').evidence).toContainEqual(expect.objectContaining({ detail: 'published code wraps objects in a Proxy' }));
  });

  it('does not call the passive tools gateways', () => {
    for (const name of ['@openmeter/sdk', 'llm-cost', 'langfuse', '@posthog/ai']) {
      const item = tool(name);
      expect(item.role).not.toMatch(/^gateway/);
      expect(item.requestPath).not.toBe('network-hop');
      expect(report.findings.filter((f) => f.package?.name === name && (f.ruleId === 'ai-gateway-in-path' || f.ruleId === 'ai-tool-handles-keys'))).toEqual([]);
    }
  });

  it('raises the AI findings with the right severities and locations', () => {
    const ai = report.findings.filter((f) => f.ruleId.startsWith('ai-')).map((f) => `${f.severity} ${f.ruleId} ${f.package?.name} ${f.location?.file}:${f.location?.line}`);
    expect(ai.sort()).toEqual([
      'high ai-gateway-image-unpinned ghcr.io/berriai/litellm docker-compose.yml:11',
      'high ai-gateway-image-unpinned litellm proxy/requirements.txt:2',
      // each hop's findings sit on its endpoint row, once, at the route's file:line
      'high ai-tool-handles-keys openrouter.ai src/llm/router.ts:4',
      'high ai-tool-handles-keys api.portkey.ai src/llm/portkey.ts:4',
      'low ai-gateway-in-path litellm src/llm/claude.ts:6',
      'low ai-gateway-in-path ghcr.io/berriai/litellm docker-compose.yml:11',
      'low ai-tool-handles-keys litellm src/llm/claude.ts:6',
      'medium ai-gateway-in-path openrouter.ai src/llm/router.ts:4',
      'medium ai-gateway-in-path api.portkey.ai src/llm/portkey.ts:4',
      'medium ai-tool-handles-keys ghcr.io/berriai/litellm docker-compose.yml:11',
      'medium ai-tool-sends-prompts @posthog/ai src/analytics/posthog.ts:7',
      'medium ai-tool-sends-prompts langfuse src/observability/tracing.ts:5',
      'medium ai-tool-sends-prompts openrouter.ai src/llm/router.ts:4',
      'medium ai-tool-sends-prompts api.portkey.ai src/llm/portkey.ts:4',
    ].sort());
  });

  it('prints the AI table with the four answers and the evidence', async () => {
    const run = await cli([served.dir, '--fail-on', 'none'], served.env);
    expect(run.stdout).toMatch(/^AI tools \(12\)$/m);
    expect(run.stdout).toMatch(/^ {2}openai@6\.49\.0 +package +provider-sdk +network-hop +forwards +default +yes +via OpenRouter \(openrouter\.ai\) +observed$/m);
    expect(run.stdout).toMatch(/^ {2}openrouter\.ai \(endpoint\) +endpoint +gateway-client +network-hop +forwards +default +yes +vendor, reached by openai +observed$/m);
    expect(run.stdout).toMatch(/^ {2}@openmeter\/sdk@1\.0\.0-beta\.232 +package +passive-metadata +none +none +none +no +in the app only +default$/m);
    expect(run.stdout).toMatch(/^ {4}src\/llm\/router\.ts:4 {2}new OpenAI\(…\) from openai with base URL host openrouter\.ai$/m);
  });
});

describe('.env values never reach any output', () => {
  it.each(FORMATS)('%s', async (format) => {
    const env = await readFile(join(FIXTURES, 'projects/ai-service/.env'), 'utf8');
    const secrets = [...env.matchAll(/FIXTURESECRET[^\s'"@/?&]*/g)].map((match) => match[0]);
    expect(secrets.length).toBeGreaterThan(10);
    const run = await cli([served.dir, '--format', format, '--fail-on', 'none'], served.env);
    const output = run.stdout + run.stderr;
    expect(output.length).toBeGreaterThan(200);
    expect(output).not.toContain('FIXTURESECRET');
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toContain('hooks.example.com/notify');
  });
});
