import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import type { AiAnalysis } from '../../src/ai/classify.js';
import { aiStage } from '../../src/ai/stage.js';
import { runChecks } from '../../src/checks/index.js';
import { formatText } from '../../src/formats/text.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { buildReport } from '../../src/report/build.js';
import type { Inventory, LockedPackage } from '../../src/inventory/model.js';
import type { Finding } from '../../src/report/model.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { tempProjects } from '../helpers/temp-dirs.js';
import { expectValidReport } from '../helpers/report-schema.js';

// enricoros/big-AGI builds each provider's request (`{ headers, url: orHost + apiPath }`) in one
// module from constants such as `DEFAULT_OPENROUTER_HOST`, and fetches it in another through
// several helpers: no call the source reader follows reaches OpenRouter, and the report said
// nothing about it. A gateway the code names as an API base is now listed as possible.

const catalog = new CatalogIndex(builtinCatalog);
const project = tempProjects('aca-api-bases-');

async function analyse(files: Record<string, string>, packages: LockedPackage[] = []): Promise<{ ai: AiAnalysis; findings: Finding[]; inv: Inventory }> {
  const root = await project({ 'package.json': JSON.stringify({ name: 'app' }), ...files });
  const inv = inventory({ root, packages });
  const ai = (await aiStage(inv, { catalog })).analysis;
  const findings = runChecks({ inventory: inv, policy: defaultPolicy(), now: new Date('2026-12-03T12:00:00Z'), tierOf: () => null, ai });
  return { ai, findings: findings.filter((finding) => finding.ruleId.startsWith('ai-')), inv };
}

const ACCESS = [
  "const DEFAULT_OPENROUTER_HOST = 'https://openrouter.ai/api';",
  "const DEFAULT_GROQ_HOST = 'https://api.groq.com/openai';",
  "const OPENROUTER_KEYS_URL = 'https://openrouter.ai/keys';",
  'export function access(dialect, key, host, path) {',
  '  switch (dialect) {',
  "    case 'openrouter': return { headers: { Authorization: `Bearer ${key}` }, url: fixup(host || DEFAULT_OPENROUTER_HOST) + path };",
  "    case 'groq': return { headers: { Authorization: `Bearer ${key}` }, url: fixup(host || DEFAULT_GROQ_HOST) + path };",
  '  }',
  '}',
].join('\n');

describe('gateways named as an API base that no followed call reaches', () => {
  it('are listed as possible, with the constant as evidence; their findings are info and say why', async () => {
    const { ai, findings } = await analyse({ 'src/access.ts': ACCESS });
    const rows = ai.tools.filter((tool) => tool.kind === 'endpoint');
    // the provider's own API (api.groq.com) is no third party: a mention of it is not listed
    expect(rows.map((tool) => tool.name)).toEqual(['openrouter.ai']);
    const row = rows[0];
    expect(row?.confidence).toEqual({ requestPath: 'possible', handlesKeys: 'possible', sendsPrompts: 'possible', singlePointOfFailure: 'possible' });
    expect(row?.endpoint?.reachedBy).toEqual([]);
    expect(row?.evidence).toEqual([expect.objectContaining({ file: 'src/access.ts', line: 1, detail: 'DEFAULT_OPENROUTER_HOST names the API base openrouter.ai' })]);
    expect(row?.summary).toMatch(/names it \(src\/access\.ts:1\), as an API base or in a call to its account API, but no LLM call to it was followed/);
    const keys = findings.find((finding) => finding.ruleId === 'ai-tool-handles-keys');
    expect(keys?.severity).toBe('info');
    expect(keys?.message).toMatch(/OpenRouter endpoint, named, no LLM call followed\) sends provider API keys.*Possible only: the project's code names it, as an API base or in a call to its account API, but no LLM call to it was followed\.$/);
  });

  it('a link for people (a keys, docs or sign-up page) is no API base', async () => {
    const { ai } = await analyse({ 'src/links.ts': "export const OPENROUTER_KEYS_URL = 'https://openrouter.ai/keys';\nexport const links = { docsUrl: 'https://openrouter.ai/docs', website: 'https://openrouter.ai' };" });
    expect(ai.tools.filter((tool) => tool.kind === 'endpoint')).toEqual([]);
  });

  it('a gateway that a followed call reaches keeps its observed row, with no second one', async () => {
    const { ai } = await analyse({ 'src/access.ts': ACCESS, 'src/call.ts': "export const list = () => fetch('https://openrouter.ai/api/v1/chat/completions', { method: 'POST', body: '{}' });" });
    const rows = ai.tools.filter((tool) => tool.kind === 'endpoint');
    expect(rows.map((tool) => [tool.name, tool.confidence.handlesKeys])).toEqual([['openrouter.ai', 'observed']]);
  });

  it('the report is valid, and its text says what names the row instead of an empty "reached by"', async () => {
    const { ai, findings, inv } = await analyse({ 'src/access.ts': ACCESS });
    const policy = defaultPolicy();
    const report = buildReport({ inventory: inv, findings, policy, now: new Date('2026-12-03T12:00:00Z'), generatedAt: new Date('2026-12-03T12:00:01Z'), tool: { name: 'ai-chain-audit', version: '0.0.0-test' }, aiTools: ai.tools, tierOf: () => null });
    expectValidReport(report);
    const text = formatText(report, { color: false });
    expect(text).toMatch(/openrouter\.ai \(endpoint\).*vendor, named, no LLM call followed\s+possible/);
    expect(text).not.toMatch(/reached by\s*$/m);
  });

  it("a call to a gateway's account API (OAuth key exchange, key information) names the gateway but is no LLM call: possible", async () => {
    const exchange = "export const exchange = (code) => fetch('https://openrouter.ai/api/v1/auth/keys', { method: 'POST', body: JSON.stringify({ code }) });";
    const keyInfo = "const OpenRouterBaseURL = 'https://openrouter.ai/api/v1';\nexport const info = (key) => fetch(`${OpenRouterBaseURL}/key`, { headers: { Authorization: `Bearer ${key}` } });";
    for (const code of [exchange, keyInfo]) {
      const { ai, findings } = await analyse({ 'src/openrouter.ts': code });
      const rows = ai.tools.filter((tool) => tool.kind === 'endpoint');
      expect(rows.map((tool) => [tool.name, tool.confidence.handlesKeys])).toEqual([['openrouter.ai', 'possible']]);
      expect(rows[0]?.evidence.map((item) => item.detail)).toContain("fetch(…) to openrouter.ai's account API, not an LLM call");
      expect(findings.every((finding) => finding.severity === 'info')).toBe(true);
    }
  });

  it('an LLM path, or a path the code computes, on the same base is a route', async () => {
    const base = "const OpenRouterBaseURL = 'https://openrouter.ai/api/v1';\n";
    for (const call of ["fetch(`${OpenRouterBaseURL}/chat/completions`, { method: 'POST', body })", "fetch(`${OpenRouterBaseURL}/${path}`, { method: 'POST', body })", "fetch(OpenRouterBaseURL + '/key/' + id, { headers: { Authorization: key } })"]) {
      const { ai } = await analyse({ 'src/openrouter.ts': `${base}export const call = (path, body, id, key) => ${call};` });
      expect(ai.tools.filter((tool) => tool.kind === 'endpoint').map((tool) => [tool.name, tool.confidence.handlesKeys]), call).toEqual([['openrouter.ai', 'observed']]);
    }
  });

  it("a gateway whose own package the code calls it through has an observed row, with no second, possible one", async () => {
    const sdk = lockedPackage({ name: '@openrouter/ai-sdk-provider', version: '1.2.0', direct: true });
    const files = { 'src/access.ts': ACCESS, 'src/model.ts': "import { createOpenRouter } from '@openrouter/ai-sdk-provider';\nexport const openrouter = createOpenRouter({ apiKey: process.env.OPENROUTER_API_KEY });" };
    const { ai } = await analyse(files, [sdk]);
    expect(ai.tools.filter((tool) => tool.kind === 'endpoint').map((tool) => [tool.name, tool.confidence.requestPath])).toEqual([['openrouter.ai', 'observed']]);
    expect(ai.tools.find((tool) => tool.name === '@openrouter/ai-sdk-provider')?.confidence.requestPath).toBe('observed');
  });
});
