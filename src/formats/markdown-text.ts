/** Markdown building blocks shared by the Markdown report's sections. */

export function table(head: string[], rows: string[][], align: string[] = head.map(() => '---')): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(align), ...rows.map(line)].join('\n');
}

/** Text from the report inside a table cell: no raw HTML, no column breaks, no line breaks. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${fence}`;
}
