import type { ParseOptions, SourceScan } from './source.js';
import { readBounded } from '../../util/project-files.js';

const MAX_TSCONFIG_BYTES = 256 * 1024;

/** The parser options the project's own tsconfig.json asks for (legacy decorators); defaults when there is none or it cannot be read. */
export async function parseOptions(root: string): Promise<ParseOptions> {
  const text = await readBounded(root, 'tsconfig.json', MAX_TSCONFIG_BYTES);
  // tsconfig is JSON with comments: a pattern reads the one flag without a JSONC parser
  return { legacyDecorators: text !== null && /["']?experimentalDecorators["']?\s*:\s*true/.test(text) };
}

/** What the source scan left out, by reason, with counts and the first file of each. */
export function coverageNotices(scan: Pick<SourceScan, 'overCap' | 'tooLarge' | 'unparsable'>): string[] {
  const notices: string[] = [];
  if (scan.overCap.length > 0) {
    notices.push(`AI analysis: ${scan.overCap.length} source file(s) over the cap were not read (files that import AI packages or name endpoints were read first; first left out: ${scan.overCap[0]}); raise the cap with --max-source-files.`);
  }
  if (scan.tooLarge.length > 0) notices.push(`AI analysis: ${scan.tooLarge.length} source file(s) over 1 MB were not read (first: ${scan.tooLarge[0]}).`);
  const first = scan.unparsable[0];
  if (first) notices.push(`AI analysis: ${scan.unparsable.length} source file(s) could not be parsed and were not read (first: ${first.file}: ${first.reason}).`);
  return notices;
}
