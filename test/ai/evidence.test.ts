import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { classify, gatewayDeployments } from '../../src/ai/classify.js';
import { parseImageRef, parseRequirement, scanDeployText } from '../../src/ai/evidence/deploy.js';
import { scanEnvText } from '../../src/ai/evidence/env.js';
import { scanTarball } from '../../src/ai/evidence/package.js';
import { scanFile } from '../../src/ai/evidence/source.js';
import { runChecks } from '../../src/checks/index.js';
import { runCli } from '../../src/cli/run.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { makeTarballSync } from '../helpers/packuments.js';
import { defaultPolicy } from '../../src/policy/policy.js';

const catalog = new CatalogIndex(builtinCatalog);

describe('source evidence', () => {
  it('finds clients, base URLs (literal, constant, env), gateway headers, wrappers and AI SDK model strings', () => {
    const code = `
      import OpenAI from 'openai';
      import * as lf from 'langfuse';
      const { wrapOpenAI } = require('langsmith/wrappers');
      import { generateText } from 'ai';
      const HELICONE = 'https://oai.helicone.ai/v1';
      const a = new OpenAI({ baseURL: HELICONE, defaultHeaders: { 'Helicone-Auth': 'Bearer x' } });
      const b = new OpenAI({ baseURL: process.env.GATEWAY_URL ?? 'http://localhost:4000' });
      const c = lf.observeOpenAI(wrapOpenAI(a));
      await generateText({ model: 'openai/gpt-4o', prompt: 'hi' });
      const x: number = <any>1;
    `;
    const signals = scanFile('src/a.ts', code, catalog) ?? [];
    const facts = signals.map((signal) => ({ ...signal.fact, line: signal.line }));
    expect(facts).toContainEqual({ type: 'client', pkg: 'openai', ctor: 'OpenAI', baseUrl: { host: 'oai.helicone.ai', envVar: null }, headers: ['Helicone-Auth'], line: 7 });
    expect(facts).toContainEqual({ type: 'client', pkg: 'openai', ctor: 'OpenAI', baseUrl: { host: 'localhost', envVar: 'GATEWAY_URL' }, headers: [], line: 8 });
    expect(facts).toContainEqual({ type: 'call', pkg: 'langfuse', fn: 'observeOpenAI', category: 'wrapper', line: 9 });
    expect(facts).toContainEqual({ type: 'call', pkg: 'langsmith', fn: 'wrapOpenAI', category: 'wrapper', line: 9 });
    expect(facts).toContainEqual({ type: 'model-route', pkg: 'ai', model: 'openai/gpt-4o', line: 10 });
    expect(facts).toContainEqual({ type: 'header', header: 'Helicone-Auth', line: 7 });
  });

  it('returns null for a file it cannot parse at all, and ignores relative imports', () => {
    expect(scanFile('src/b.js', 'import x from "./local.js"; x();', catalog)).toEqual([expect.objectContaining({ fact: { type: 'import', pkg: 'x' } })].slice(0, 0));
  });
});

describe('.env evidence', () => {
  it('keeps names, URL hosts and boolean flags — never a value', () => {
    const signals = scanEnvText('.env', 'OPENAI_API_KEY=sk-secret-1\n# comment\nexport BASE="https://u:p-secret@gw.example.com/v1?t=secret"\nTRACE=false\n');
    expect(signals.map((signal) => signal.fact)).toEqual([
      { type: 'env-var', name: 'OPENAI_API_KEY' },
      { type: 'env-var', name: 'BASE' },
      { type: 'env-url', name: 'BASE', host: 'gw.example.com' },
      { type: 'env-var', name: 'TRACE' },
      { type: 'env-flag', name: 'TRACE', value: false },
    ]);
    expect(JSON.stringify(signals)).not.toMatch(/secret/);
  });
});

describe('deploy evidence', () => {
  it('parses image references', () => {
    expect(parseImageRef('ghcr.io/berriai/litellm:main-latest')).toEqual({ raw: 'ghcr.io/berriai/litellm:main-latest', repository: 'ghcr.io/berriai/litellm', tag: 'main-latest', digest: null });
    expect(parseImageRef('localhost:5000/gw@sha256:abc')).toMatchObject({ repository: 'localhost:5000/gw', tag: null, digest: 'sha256:abc' });
    expect(parseImageRef('ghcr.io/berriai/litellm:${TAG:-v1.55.0}')).toMatchObject({ tag: 'v1.55.0' });
    expect(parseRequirement('litellm[proxy]==1.82.6 ; python_version > "3.9"')).toEqual({ name: 'litellm', spec: '[proxy]==1.82.6', pinnedVersion: '1.82.6' });
    expect(parseRequirement('litellm>=1.0')?.pinnedVersion).toBeNull();
  });

  it.each([
    ['k8s.yaml', 'yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llm-gateway\nspec:\n  template:\n    spec:\n      containers:\n        - name: gw\n          image: ghcr.io/berriai/litellm\n', 'mutable', null],
    ['Dockerfile', 'dockerfile', 'FROM ghcr.io/berriai/litellm:v1.74.0-stable\nRUN pip install litellm==1.82.7\n', 'version-tag', 'compromised'],
    ['requirements.txt', 'requirements', 'litellm==1.82.8 --hash=sha256:abc\n', 'exact', 'compromised'],
    ['pyproject.toml', 'pyproject', '[project]\nname = "x"\ndependencies = ["litellm>=1.40"]\n', 'mutable', null],
    ['compose.yaml', 'yaml', 'services:\n  gw:\n    image: ghcr.io/berriai/litellm@sha256:0123\n', 'digest', null],
  ] as const)('%s', (file, kind, text, expectedPinning, compromised) => {
    const pinning: string = expectedPinning;
    const signals = scanDeployText(file, kind, text, catalog);
    const deployments = gatewayDeployments(signals, catalog);
    expect(deployments[0]?.pinning).toBe(pinning);
    if (compromised) expect(deployments.some((d) => d.compromised)).toBe(true);
    const report = runChecks({ inventory: inventory(), policy: defaultPolicy(), now: new Date(), tierOf: () => null, ai: { tools: [], deployments } });
    const severities = report.filter((f) => f.ruleId === 'ai-gateway-image-unpinned').map((f) => f.severity);
    if (compromised) expect(severities).toContain('critical');
    else expect(severities).toEqual(pinning === 'mutable' ? ['high'] : pinning === 'version-tag' ? ['low'] : []);
  });

  it('LiteLLM as a library is no self-hosted gateway row; litellm[proxy] is (both pins are still audited)', () => {
    const rows = (text: string) => {
      const signals = scanDeployText('requirements.txt', 'requirements', text, catalog);
      const { tools, deployments } = classify({ packages: [], catalog, signals, packageEvidence: [] });
      return { gateways: tools.filter((tool) => tool.role === 'gateway-server').map((tool) => tool.name), deployments: deployments.map((deployment) => deployment.ref) };
    };
    expect(rows('litellm==1.82.6\n')).toEqual({ gateways: [], deployments: ['litellm ==1.82.6'] });
    expect(rows('litellm[proxy]==1.82.6\n')).toEqual({ gateways: ['litellm'], deployments: ['litellm [proxy]==1.82.6'] });
  });

  it('a uv.lock next to pyproject.toml locks the gateway package', () => {
    const signals = [
      ...scanDeployText('svc/pyproject.toml', 'pyproject', '[project]\ndependencies = ["litellm>=1.40"]\n', catalog),
      ...scanDeployText('svc/uv.lock', 'pylock', 'version = 1\n[[package]]\nname = "litellm"\nversion = "1.82.6"\n', catalog),
    ];
    expect(gatewayDeployments(signals, catalog).map((d) => d.pinning)).toEqual(['exact', 'exact']);
  });
});

describe('package evidence and unknown AI tools', () => {
  const code = {
    'dist/index.js': `const shimmer = require("shimmer");\nconst OpenAI = require("openai");\nshimmer.wrap(OpenAI.prototype, "create", wrap);\nglobalThis.fetch = patched;\nconst key = process.env.OPENAI_API_KEY;\nfetch("https://ingest.llm-spy.example.ai/v1/traces");\n`,
    'examples/demo.js': 'fetch("https://api.never-read.example.ai")',
  };
  const tarball = makeTarballSync('llm-spy', '0.3.1', code);

  it('reads hosts, env reads, patches and imports from the tarball, never from examples', () => {
    const evidence = scanTarball('llm-spy', '0.3.1', tarball.data, catalog);
    expect(evidence.hosts.map((h) => h.value)).toEqual(['ingest.llm-spy.example.ai']);
    expect(evidence.envReads).toContainEqual({ value: 'OPENAI_API_KEY', file: 'dist/index.js', line: 5 });
    expect(evidence.patches.map((p) => p.value)).toEqual(expect.arrayContaining(['replaces globalThis.fetch', 'wraps module functions (shimmer)']));
    expect(evidence.imports.map((i) => i.value)).toEqual(['openai']);
  });

  it('refuses an oversized tarball', () => {
    expect(() => scanTarball('x', '1.0.0', tarball.data, catalog, { maxTarballBytes: 10, maxUnpackedBytes: 1e6, maxFileBytes: 1e6, maxMatchesPerKind: 5, concurrency: 1 })).toThrow(/limit/);
  });

  it('reports an uncatalogued package with those signs as an unknown AI tool with the evidence', () => {
    const evidence = scanTarball('llm-spy', '0.3.1', tarball.data, catalog);
    const { tools } = classify({ packages: [lockedPackage({ name: 'llm-spy', version: '0.3.1' })], catalog, signals: [], packageEvidence: [evidence] });
    expect(tools).toEqual([expect.objectContaining({ name: 'llm-spy', tool: 'unknown', role: 'otel-instrumentation', requestPath: 'in-process', sendsPrompts: 'default' })]);
    expect(tools[0]?.evidence).toContainEqual(expect.objectContaining({ kind: 'package', detail: 'published code replaces globalThis.fetch', file: 'llm-spy@0.3.1/dist/index.js', line: 4 }));
  });
});

describe('modes and routes', () => {
  const langfuse = lockedPackage({ name: 'langfuse', version: '3.39.2', direct: true });
  const portkey = lockedPackage({ name: 'portkey-ai', version: '3.1.0', direct: true });

  it('a self-hosted Langfuse (from .env) ships no prompts to a third party', () => {
    const signals = scanEnvText('.env', 'LANGFUSE_BASEURL=http://langfuse.internal:3000\n');
    const [tool] = classify({ packages: [langfuse], catalog, signals, packageEvidence: [] }).tools;
    expect(tool).toMatchObject({ requestPath: 'in-process', sendsPrompts: 'none', hosting: 'self-hosted' });
  });

  it('a Portkey client pointed at a self-hosted gateway is a self-hosted hop', () => {
    const signals = scanFile('src/p.ts', "import Portkey from 'portkey-ai';\nexport const p = new Portkey({ baseURL: 'http://localhost:8787/v1' });\n", catalog) ?? [];
    const [tool] = classify({ packages: [portkey], catalog, signals, packageEvidence: [] }).tools;
    expect(tool).toMatchObject({ requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'none', singlePointOfFailure: true, hosting: 'self-hosted' });
  });

  it('an OpenAI client pointed at Helicone is a hop via Helicone; an unresolved env base URL is unknown', () => {
    const openai = lockedPackage({ name: 'openai', version: '6.49.0', direct: true });
    const helicone = scanFile('src/h.ts', "import OpenAI from 'openai';\nnew OpenAI({ baseURL: 'https://oai.helicone.ai/v1' });\n", catalog) ?? [];
    expect(classify({ packages: [openai], catalog, signals: helicone, packageEvidence: [] }).tools[0]).toMatchObject({ requestPath: 'network-hop', sendsPrompts: 'default', via: expect.stringMatching(/Helicone/) });
    const unresolved = scanFile('src/u.ts', "import OpenAI from 'openai';\nnew OpenAI({ baseURL: process.env.SOME_URL });\n", catalog) ?? [];
    expect(classify({ packages: [openai], catalog, signals: unresolved, packageEvidence: [] }).tools[0]).toMatchObject({ requestPath: 'unknown' });
  });

  it('an env flag trigger applies a catalog mode (TRACELOOP_TRACE_CONTENT=false)', () => {
    const traceloop = lockedPackage({ name: '@traceloop/node-server-sdk', version: '0.20.0', direct: true });
    const signals = scanEnvText('.env', 'TRACELOOP_TRACE_CONTENT=false\n');
    const [tool] = classify({ packages: [traceloop], catalog, signals, packageEvidence: [] }).tools;
    expect(tool?.sendsPrompts).toBe('none');
    expect(tool?.evidence).toContainEqual(expect.objectContaining({ kind: 'config', supports: ['sendsPrompts'] }));
  });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: () => undefined, env: { NO_COLOR: '1' }, stdoutIsTty: false });
  return { code, stdout };
}

describe('ai-chain-audit catalog', () => {
  it('lists the catalog as text and as JSON', async () => {
    const text = await cli(['catalog']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^AI catalog: \d+ tools, \d+ npm packages/);
    expect(text.stdout).toMatch(/^Portkey +portkey-ai +gateway-client +gateway +network-hop +forwards +default +yes/m);
    const json = await cli(['catalog', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ schemaVersion: 1, tools: expect.arrayContaining([expect.objectContaining({ id: 'portkey' })]) });
  });
});
