/** An INI file as Python's configparser reads pip.conf: sections, `key = value` or `key: value`, indented continuation lines. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(raw) || raw.trim() === '') continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header?.[1]) {
      const name = header[1].trim().toLowerCase();
      section = sections.get(name) ?? new Map<string, string>();
      sections.set(name, section);
      lastKey = null;
      continue;
    }
    if (/^\s/.test(raw) && section && lastKey) {
      section.set(lastKey, `${section.get(lastKey) ?? ''}\n${raw.trim()}`);
      continue;
    }
    const pair = /^([^=:]+)[=:](.*)$/.exec(raw);
    if (!pair?.[1] || !section) continue;
    // pip reads `index_url` and `index-url` alike
    lastKey = pair[1].trim().toLowerCase().replace(/_/g, '-');
    section.set(lastKey, (pair[2] ?? '').trim());
  }
  return sections;
}
