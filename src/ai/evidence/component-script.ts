/** Single-file components whose code sits in `<script>` blocks (and, for Astro, a `---` frontmatter). */
const COMPONENT_FILE = /\.(?:svelte|vue|astro)$/;

export function isComponentFile(file: string): boolean {
  return COMPONENT_FILE.test(file);
}

/**
 * The code of a Svelte, Vue or Astro component, at the lines and columns it has in the file:
 * everything outside its `<script>` blocks (and an Astro file's frontmatter) is blanked, line
 * breaks kept, so a finding's `file:line` points into the component itself. Markup is not code
 * the analysis reads: a URL in a link or an attribute is not a route.
 */
export function componentScript(file: string, text: string): string {
  const keep: Array<[number, number]> = [];
  if (file.endsWith('.astro')) {
    const body = /^\s*---\r?\n([\s\S]*?)\r?\n---/d.exec(text)?.indices?.[1];
    if (body) keep.push([body[0], body[1]]);
  }
  // found with indexOf, not a lazy pattern: a file of unclosed <script> tags must not cost quadratic time
  const lower = text.toLowerCase();
  for (let from = 0; ; ) {
    const open = lower.indexOf('<script', from);
    if (open === -1) break;
    const next = lower[open + 7];
    if (next !== '>' && next !== '/' && !/\s/.test(next ?? '')) {
      from = open + 7;
      continue;
    }
    const tagEnd = lower.indexOf('>', open);
    if (tagEnd === -1) break;
    const close = lower.indexOf('</script', tagEnd + 1);
    if (close === -1) break;
    keep.push([tagEnd + 1, close]);
    from = close + 8;
  }
  let out = '';
  let at = 0;
  for (const [start, end] of keep.sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    out += blank(text.slice(at, start)) + text.slice(start, end);
    at = end;
  }
  return out + blank(text.slice(at));
}

function blank(text: string): string {
  return text
    .split('\n')
    .map((line) => ' '.repeat(line.length))
    .join('\n');
}
