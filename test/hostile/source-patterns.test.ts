import { describe, expect, it } from 'vitest';
import { componentScript } from '../../src/ai/evidence/component-script.js';
import { carriesNothing } from '../../src/ai/evidence/request-shape.js';

const MB = 1_000_000;

/** Runs `work` and says how long it took; the bound below is hours away from what a quadratic scan of 1 MB costs. */
function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
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
});
