import type { Report } from '../report/model.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import type { FormatName, FormatOptions } from './names.js';
import { formatText } from './text.js';

export { FORMATS, isFormatName, type FormatName, type FormatOptions } from './names.js';

/** Every format, loaded together (library use); the CLI loads the one it renders (load.ts). */
export function formatReport(report: Report, format: FormatName, options: FormatOptions): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'text':
      return formatText(report, options);
    case 'sarif':
      return formatSarif(report, options);
    case 'markdown':
      return formatMarkdown(report);
    case 'github':
      return formatGithub(report, options);
  }
}
