import { forMarkdown, markdownCode } from './escape.js';

/** Markdown building blocks shared by the Markdown report's sections. */

export function table(head: string[], rows: string[][], align: string[] = head.map(() => '---')): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(align), ...rows.map(line)].join('\n');
}

/** Text from the report inside a table cell or a list item: escaped, so it stays text (see escape.ts). */
export function cell(text: string): string {
  return forMarkdown(text);
}

/** Text from the report as a code span that no backtick, pipe or line break can end early. */
export function code(text: string): string {
  return markdownCode(text);
}
