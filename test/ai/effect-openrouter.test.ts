import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { aiStage } from '../../src/ai/stage.js';
import { runChecks } from '../../src/checks/index.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';

const catalog = new CatalogIndex(builtinCatalog);
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// the shape of OpenRouterTeam/openrouter-examples' effect-ai examples, where the package was first met
const EXAMPLE = `import * as OpenRouterClient from '@effect/ai-openrouter/OpenRouterClient';
import * as OpenRouterLanguageModel from '@effect/ai-openrouter/OpenRouterLanguageModel';
import { Effect, Layer, Redacted } from 'effect';

const OpenRouterClientLayer = OpenRouterClient.layer({
  apiKey: Redacted.make(process.env.OPENROUTER_API_KEY!),
});
export const model = OpenRouterLanguageModel.model('anthropic/claude-3.5-sonnet').pipe(Layer.provide(OpenRouterClientLayer));
export const program = Effect.void;
`;

describe('@effect/ai-openrouter (Effect\'s OpenRouter client)', () => {
  it('is the OpenRouter gateway client: a hosted hop that forwards keys and prompts, used by the code', async () => {
    const root = await mkdtemp(join(tmpdir(), 'aca-effect-openrouter-'));
    dirs.push(root);
    await mkdir(join(root, 'src'));
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { '@effect/ai-openrouter': '^0.10.1', effect: '3.19.3' } }));
    await writeFile(join(root, 'src/example.ts'), EXAMPLE);
    const inv = inventory({ root, packages: [lockedPackage({ name: '@effect/ai-openrouter', version: '0.10.1', direct: true }), lockedPackage({ name: 'effect', version: '3.19.3', direct: true })] });
    const ai = (await aiStage(inv, { catalog })).analysis;
    const tool = ai.tools.find((candidate) => candidate.name === '@effect/ai-openrouter');
    expect(tool).toMatchObject({ tool: 'OpenRouter', role: 'gateway-client', requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'default', singlePointOfFailure: true });
    const findings = runChecks({ inventory: inv, policy: defaultPolicy(), now: new Date('2026-12-03T12:00:00Z'), tierOf: (name) => catalog.lookup(name)?.tool.tier ?? null, ai });
    expect(tool?.reaches).toEqual(['openrouter.ai']);
    // the findings are the endpoint's, reached by the package
    const keys = findings.find((finding) => finding.ruleId === 'ai-tool-handles-keys');
    expect(keys).toMatchObject({ severity: 'high', package: { name: 'openrouter.ai' } });
    expect(keys?.message).toMatch(/reached by @effect\/ai-openrouter/);
  });
});
