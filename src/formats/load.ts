import type { Report } from '../report/model.js';
import type { FormatName, FormatOptions } from './names.js';

export type Formatter = (report: Report, options: FormatOptions) => string;

/**
 * The one formatter a run asks for, loaded when it is asked for: the CLI renders one or two
 * formats, and loading all five (with chalk) was a measurable part of a warm run's start.
 */
export async function loadFormatter(format: FormatName): Promise<Formatter> {
  switch (format) {
    case 'json': {
      const { formatJson } = await import('./json.js');
      return (report) => formatJson(report);
    }
    case 'text': {
      const { formatText } = await import('./text.js');
      return (report, options) => formatText(report, options);
    }
    case 'sarif': {
      const { formatSarif } = await import('./sarif.js');
      return (report, options) => formatSarif(report, options);
    }
    case 'markdown': {
      const { formatMarkdown } = await import('./markdown.js');
      return (report) => formatMarkdown(report);
    }
    case 'github': {
      const { formatGithub } = await import('./github.js');
      return (report, options) => formatGithub(report, options);
    }
  }
}
