import { describe, expect, it } from 'vitest';
import { componentScript } from '../../src/ai/evidence/component-script.js';
import { carriesNothing } from '../../src/ai/evidence/request-shape.js';
import { scanSource } from '../../src/ai/evidence/source.js';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { tempProjects } from '../helpers/temp-dirs.js';

const project = tempProjects('aca-hostile-source-');

const MB = 1_000_000;

/** Runs `work` and says how long it took; the bound below is hours away from what a quadratic scan of 1 MB costs. */
function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** Reads the files as a project, with the cap raised past their size; the time it took, in ms. */
async function scanTimed(files: Record<string, string>): Promise<{ scan: Awaited<ReturnType<typeof scanSource>>; ms: number }> {
  const root = await project(files);
  const start = performance.now();
  const scan = await scanSource(root, Object.keys(files), new CatalogIndex(builtinCatalog), { maxFiles: 10, maxFileBytes: 4 * MB });
  return { scan, ms: performance.now() - start };
}

describe('hostile project files (1 MB, the most the source scan reads of one file)', () => {
  it.each([
    ['unclosed <script> tags', '<script>'.repeat(MB / 8)],
    ['tags that only start like <script', '<scriptx'.repeat(MB / 8) + '>'],
    ['one tag never closed', '<script '.repeat(MB / 8) + '>'],
    ['opened scripts with one broken close', '<script>a'.repeat(MB / 9) + '</script'],
  ])('a component of %s is read in linear time, at its own length', (_label, text) => {
    let out = '';
    expect(timed(() => (out = componentScript('App.vue', text)))).toBeLessThan(5_000);
    expect(out).toHaveLength(text.length);
  });

  it('keeps each script body in place and blanks the markup around it', () => {
    const text = '<template>\n  <a href="https://x.io">x</a>\n</template>\n<SCRIPT setup>\nconst a = 1;\n</script>\n<scriptx>no</scriptx>';
    const out = componentScript('App.vue', text);
    expect(out).toHaveLength(text.length);
    expect(out.split('\n')).toEqual(['          ', '                              ', '           ', '              ', 'const a = 1;', '         ', '                     ']);
  });

  it("keeps an Astro frontmatter in place, even one whose text also appears in its fence ('-')", () => {
    const text = '---\n-\n---\n<h1>x</h1>';
    expect(componentScript('index.astro', text)).toBe(`   \n-\n   \n${' '.repeat(10)}`);
  });

  it.each([
    ['a query of a million question marks', `https://x.io/${'?'.repeat(MB)}`],
    ['a million parameters', `https://x.io/?${'a&'.repeat(MB / 2)}`],
    ['a million-character parameter name', `https://x.io/?${'k'.repeat(MB)}`],
  ])('a URL with %s is judged in linear time', (_label, url) => {
    const call = { type: 'CallExpression', arguments: [] };
    expect(timed(() => carriesNothing(call, { type: 'StringLiteral', value: url }, 'get'))).toBeLessThan(5_000);
  });

  it('provider choices: 100,000 uses of one name in switch cases, and a 20,000-function call chain, are read in linear time without exhausting the stack', async () => {
    const cases = Array.from({ length: 100_000 }, (_, index) => `case 'p${index}': return handle();`).join('\n');
    const chain = Array.from({ length: 20_000 }, (_, index) => `function f${index}() { return f${index + 1}(); }`).join('\n');
    const files = {
      'src/handle.ts': "export function handle() { return fetch('https://openrouter.ai/api/v1/chat/completions', { method: 'POST', body: '' }); }",
      'src/cases.ts': `import { handle } from './handle';\nexport function pick(p: string) {\n  switch (p) {\n${cases}\n  }\n}`,
      'src/chain.ts': `${chain}\nfunction f20000() { switch (globalThis.p) { case 'a': return fetch('https://apipie.ai/v1/chat/completions', { method: 'POST', body: '' }); case 'b': return f0(); } }`,
    };
    const { scan, ms } = await scanTimed(files);
    expect(ms).toBeLessThan(20_000);
    expect(scan.unparsable).toEqual([]);
    expect(scan.signals.filter((signal) => signal.fact.type === 'fetch')).toHaveLength(2);
  });

  it('a URL built from constants that repeat a long one (2,000 times 400 KB) is not spelled out', async () => {
    const files = { 'src/a.ts': `const b = 'https://openrouter.ai/${'x'.repeat(400_000)}';\nconst a = \`${'${b}'.repeat(2000)}\`;\nexport const call = () => fetch(\`${'${a}'}/v1/key\`, { headers: { Authorization: 'k' } });` };
    const { scan, ms } = await scanTimed(files);
    expect(ms).toBeLessThan(10_000);
    expect(scan.unparsable).toEqual([]);
    expect(scan.signals.filter((signal) => signal.fact.type === 'fetch')).toHaveLength(1);
  });

  it('a file the reader fails on is listed as not read, with the reason, and the other files are still read', async () => {
    const files = {
      'src/boom.ts': "export const headers = { 'x-trip-wire': '1' };",
      'src/call.ts': "export const call = () => fetch('https://openrouter.ai/api/v1/chat/completions', { method: 'POST', body: '' });",
    };
    const root = await project(files);
    // a catalog that fails on one header name stands in for a bound the reader missed
    const catalog = new CatalogIndex(builtinCatalog);
    const toolByHeader = catalog.toolByHeader.bind(catalog);
    catalog.toolByHeader = (header: string) => {
      if (header === 'x-trip-wire') throw new RangeError('Invalid string length');
      return toolByHeader(header);
    };
    const scan = await scanSource(root, Object.keys(files), catalog);
    expect(scan.unparsable).toEqual([{ file: 'src/boom.ts', reason: 'the reader failed on it (Invalid string length)' }]);
    expect(scan.signals.filter((signal) => signal.fact.type === 'fetch').map((signal) => signal.file)).toEqual(['src/call.ts']);
  });
});
