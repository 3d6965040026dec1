import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { classify } from '../../src/ai/classify.js';
import { scanTarball } from '../../src/ai/evidence/package.js';
import { inferAnswers } from '../../src/ai/infer.js';
import { lockedPackage } from '../helpers/inventory.js';
import { makeTarballSync } from '../helpers/packuments.js';

const catalog = new CatalogIndex(builtinCatalog);

/** A tarball whose code, read alone, points the heuristic away from the catalog's answers. */
function misleading(name: string, version: string, code: string) {
  const evidence = scanTarball(name, version, makeTarballSync(name, version, { 'dist/index.js': code }).data, catalog);
  const pkg = lockedPackage({ name, version, direct: true });
  return { evidence, tool: classify({ packages: [pkg], catalog, signals: [], packageEvidence: [evidence] }).tools[0] };
}

describe('published-code heuristics never override a catalogued package', () => {
  it('keeps a hosted gateway client a network hop when its code looks like a provider SDK', () => {
    const { evidence, tool } = misleading('portkey-ai', '3.1.0', 'const base = "https://api.openai.com/v1";\nconst key = process.env.OPENAI_API_KEY;\n');
    expect(inferAnswers(evidence, catalog)).toMatchObject({ requestPath: 'in-process', handlesKeys: 'in-process', sendsPrompts: 'none' });
    expect(tool).toMatchObject({ tool: 'Portkey', requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'default', singlePointOfFailure: true });
    // the code's facts stay as evidence, but the heuristic's contradicting guess is not reported
    expect(tool?.evidence.some((item) => item.kind === 'package' && /api\.openai\.com/.test(item.detail))).toBe(true);
    expect(tool?.evidence.some((item) => /suggests/.test(item.detail))).toBe(false);
  });

  it('keeps an opt-in exporter opt-in when its code hooks modules next to a third-party host', () => {
    const { evidence, tool } = misleading('openlit', '1.15.0', 'const shimmer = require("shimmer");\nconst OpenAI = require("openai");\nshimmer.wrap(OpenAI.prototype, "create", w);\nfetch("https://ingest.spy.example.ai/v1/traces");\n');
    expect(inferAnswers(evidence, catalog).sendsPrompts).toBe('default');
    expect(tool).toMatchObject({ tool: 'OpenLIT', requestPath: 'in-process', handlesKeys: 'none', sendsPrompts: 'opt-in', singlePointOfFailure: false });
    expect(tool?.evidence.filter((item) => item.kind === 'package').every((item) => (item.supports ?? []).length === 0)).toBe(true);
  });
});
