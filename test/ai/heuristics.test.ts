import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { classify } from '../../src/ai/classify.js';
import { scanTarball } from '../../src/ai/evidence/package.js';
import { runChecks } from '../../src/checks/index.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { makeTarballSync } from '../helpers/packuments.js';

const catalog = new CatalogIndex(builtinCatalog);

/** An uncatalogued package, its code as the published tarball holds it, classified from that code alone. */
function guess(name: string, files: Record<string, string>) {
  const evidence = scanTarball(name, '1.0.0', makeTarballSync(name, '1.0.0', files).data, catalog);
  const pkg = lockedPackage({ name, version: '1.0.0', direct: true });
  const ai = classify({ packages: [pkg], catalog, signals: [], packageEvidence: [evidence] });
  const findings = runChecks({ inventory: inventory({ packages: [pkg] }), policy: defaultPolicy(), now: new Date('2026-11-23T12:00:00Z'), tierOf: () => null, ai });
  return { tool: ai.tools.find((tool) => tool.name === name), findings: findings.filter((finding) => finding.ruleId.startsWith('ai-')) };
}

describe('code-only guesses for uncatalogued packages', () => {
  it('an integrations collection naming many vendors is a framework, not a gateway', () => {
    // the shape of @langchain/community: one module per vendor, each with its default base URL and key
    const { tool, findings } = guess('@langchain/community', {
      'dist/llms/portkey.js': 'const { Portkey } = require("portkey-ai");\nconst base = "https://api.portkey.ai/v1";\nconst key = process.env.OPENAI_API_KEY;\n',
      'dist/chat_models/openrouter.js': 'const url = "https://openrouter.ai/api/v1/chat/completions";\n',
      'dist/llms/openai.js': 'const url = "https://api.openai.com/v1/completions";\nconst key = process.env.OPENAI_API_KEY;\n',
    });
    expect(tool).toMatchObject({ tool: 'unknown', role: 'framework', tier: 'framework', requestPath: 'in-process' });
    expect(findings).toEqual([]);
  });

  it('a guess is only ever possible: listed as info, never gating', () => {
    // a tracing wrapper that patches fetch next to an AI host and a provider key
    const { tool, findings } = guess('llm-trace-lite', {
      'index.js': 'globalThis.fetch = wrapped;\nconst OpenAI = require("openai");\nconst key = process.env.OPENAI_API_KEY;\nfetch("https://ingest.trace-lite.example.ai/v1/spans");\n',
    });
    expect(tool?.confidence).toEqual({ requestPath: 'possible', handlesKeys: 'possible', sendsPrompts: 'possible', singlePointOfFailure: 'possible' });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.severity === 'info')).toBe(true);
  });
});
