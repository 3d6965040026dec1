import type * as SmolToml from 'smol-toml';
import { lazyRequire } from '../../util/lazy-require.js';

const toml = lazyRequire<typeof SmolToml>('smol-toml');

const MAX_LINES_NAMED = 3;
const VERSION_CLAUSE = String.raw`(?:===?|~=|!=|<=?|>=?)\s*[^,;\s]+`;
// PEP 508: `name[extras] <clauses> ; marker` or `name[extras] @ url ; marker`
const REQUIREMENT = new RegExp(String.raw`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[^\]]*\])?\s*(?:@\s*\S+|\(?\s*${VERSION_CLAUSE}(?:\s*,\s*${VERSION_CLAUSE})*\s*\)?)?\s*(?:;.*)?$`);

/**
 * What part of a Python dependency file the scan could not read, in words for a notice; null when
 * it read all of it. A lockfile that does not parse, or a requirements line that is no
 * requirement, would otherwise be skipped without a word, and a gateway pinned there never seen.
 */
export function pythonFileProblem(file: string, kind: string, text: string): string | null {
  if (kind === 'pylock' || kind === 'pyproject') {
    try {
      toml().parse(text);
      return null;
    } catch (error) {
      return `${file} is not valid TOML (${firstLine(error instanceof Error ? error.message : String(error))}) and was not read`;
    }
  }
  if (kind !== 'requirements') return null;
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s+#.*$/, '').replace(/\s*\\$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith('-')) return;
    // URLs and local paths are requirements pip reads that name no index package
    if (/^(?:[a-z+]+:\/\/|\.{0,2}\/)/i.test(line)) return;
    if (!REQUIREMENT.test(line.split(/\s+--hash/)[0] ?? line)) bad.push(index + 1);
  });
  if (bad.length === 0) return null;
  const named = bad.slice(0, MAX_LINES_NAMED).join(', ');
  return `${file} has ${bad.length} line(s) that are not requirements (line ${named}${bad.length > MAX_LINES_NAMED ? ', …' : ''}); they were not read`;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).slice(0, 160);
}
