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
    const frontmatter = /^\s*---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (frontmatter?.[1] !== undefined) {
      const start = text.indexOf(frontmatter[1]);
      keep.push([start, start + frontmatter[1].length]);
    }
  }
  for (const match of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi)) {
    const body = match[1] ?? '';
    const start = (match.index ?? 0) + match[0].indexOf('>') + 1;
    keep.push([start, start + body.length]);
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
  return text.replace(/[^\n]/g, ' ');
}
