import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { materializeFixture } from '../helpers/fixtures.js';
import { makeTarballSync, packument, type Packument } from '../helpers/packuments.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';

/**
 * Published code for the AI packages of the ai-service fixture, shaped like the real
 * packages' builds: default hosts, env-var reads, wrappers. Other packages get an empty build.
 */
export const PACKAGE_CODE: Record<string, Record<string, string>> = {
  openai: {
    'client.js': `"use strict";\nconst readEnv = (k) => process.env[k];\nclass OpenAI {\n  constructor({ baseURL = readEnv('OPENAI_BASE_URL'), apiKey = readEnv('OPENAI_API_KEY') } = {}) {\n    this.baseURL = baseURL || "https://api.openai.com/v1";\n    this.apiKey = apiKey;\n  }\n  create(body) { return this.post("/chat/completions", { body }); }\n}\nexports.OpenAI = OpenAI;\n`,
  },
  '@anthropic-ai/sdk': {
    'client.js': `"use strict";\nclass Anthropic {\n  constructor({ baseURL = process.env.ANTHROPIC_BASE_URL, apiKey = process.env.ANTHROPIC_API_KEY } = {}) {\n    this.baseURL = baseURL || "https://api.anthropic.com";\n  }\n  create(body) { return this.post("/v1/messages", { body }); }\n}\nexports.Anthropic = Anthropic;\n`,
  },
  'portkey-ai': {
    'dist/src/constants.js': `"use strict";\nexports.PORTKEY_BASE_URL = "https://api.portkey.ai/v1";\nexports.apiKey = process.env["PORTKEY_API_KEY"];\nconst OpenAI = require("openai");\nexports.CHAT = "/chat/completions";\n`,
    'dist/examples/demo.js': `fetch("https://api.portkeydev-example.ai/v1");\n`,
  },
  langfuse: {
    'lib/index.cjs': `"use strict";\nconst baseUrl = process.env.LANGFUSE_BASEURL || "https://cloud.langfuse.com";\nfunction observeOpenAI(sdk, config) {\n  return new Proxy(sdk, { get(target, key) { return wrap(target[key], config); } });\n}\nexports.observeOpenAI = observeOpenAI;\n`,
  },
  '@posthog/ai': {
    'dist/index.cjs': `"use strict";\nconst OpenAIOriginal = require("openai");\nclass PostHogOpenAI extends OpenAIOriginal.OpenAI {\n  constructor({ posthog, ...config }) { super(config); this.phClient = posthog; }\n}\nconst host = "https://us.i.posthog.com";\nexports.OpenAI = PostHogOpenAI;\n`,
  },
  '@openmeter/sdk': {
    'dist/index.js': `export class OpenMeter {\n  constructor({ baseUrl = "https://openmeter.cloud", apiKey } = {}) { this.baseUrl = baseUrl; this.apiKey = apiKey; }\n  ingest(events) { return fetch(this.baseUrl + "/api/v1/events", { method: "POST", body: JSON.stringify(events) }); }\n}\n`,
  },
  'llm-cost': {
    'dist/src/index.js': `"use strict";\nconst prices = require("../model_prices_and_context_window.json");\nexports.estimateCost = ({ model, inputTokens, outputTokens }) => inputTokens * prices[model].input_cost_per_token + outputTokens * prices[model].output_cost_per_token;\n`,
  },
};

export interface ServedAiService {
  dir: string;
  registry: RegistryServer;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
}

/** The ai-service fixture with a loopback registry serving a tarball (built from PACKAGE_CODE) for every locked package. */
export async function serveAiService(): Promise<ServedAiService> {
  const probe = await materializeFixture('projects/ai-service');
  const lock = JSON.parse(await readFile(join(probe.dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  await probe.cleanup();
  const builds = new Map<string, { name: string; version: string; data: Buffer; integrity: string }>();
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '' || entry.link || !entry.version) continue;
    const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const tarball = makeTarballSync(name, entry.version, PACKAGE_CODE[name] ?? {});
    builds.set(`${name}@${entry.version}`, { name, version: entry.version, data: tarball.data, integrity: tarball.integrity });
  }
  const byName = new Map<string, Packument>();
  const publishedAt = new Date(Date.now() - 120 * 24 * 3600 * 1000).toISOString();
  const grouped = new Map<string, Array<{ version: string; data: Buffer }>>();
  for (const build of builds.values()) grouped.set(build.name, [...(grouped.get(build.name) ?? []), { version: build.version, data: build.data }]);
  for (const [name, versions] of grouped) byName.set(name, packument(name, versions.map((v) => ({ version: v.version, publishedAt, tarball: v.data }))));
  const registry = await startRegistry({ packuments: Object.fromEntries(byName), keys: null });
  const project = await materializeFixture('projects/ai-service', { registry: registry.url });
  const lockPath = join(project.dir, 'package-lock.json');
  const served = JSON.parse(await readFile(lockPath, 'utf8')) as { packages: Record<string, LockEntry> };
  for (const [location, entry] of Object.entries(served.packages)) {
    if (location === '' || !entry.version) continue;
    const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const build = builds.get(`${name}@${entry.version}`);
    if (build) entry.integrity = build.integrity;
  }
  await writeFile(lockPath, `${JSON.stringify(served, null, 2)}\n`);
  const cache = await mkdtemp(join(tmpdir(), 'aca-ai-cache-'));
  return {
    dir: project.dir,
    registry,
    env: { npm_config_cache: cache, npm_config_registry: registry.url },
    close: async () => {
      await registry.close();
      await project.cleanup();
      await rm(cache, { recursive: true, force: true });
    },
  };
}
