import type { Report } from '../report/model.js';
import type { FormatName, FormatOptions } from './names.js';

export type Formatter = (report: Report, options: FormatOptions) => string;

/**
 * Each format's module, loaded when a run asks for that format: the CLI renders one or two of
 * them, and loading all five (with chalk) was a measurable part of a warm run's start.
 */
const LOADERS: Readonly<Record<FormatName, () => Promise<Formatter>>> = {
  json: async () => (await import('./json.js')).formatJson,
  text: async () => (await import('./text.js')).formatText,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  markdown: async () => (await import('./markdown.js')).formatMarkdown,
  github: async () => (await import('./github.js')).formatGithub,
};

export function loadFormatter(format: FormatName): Promise<Formatter> {
  return LOADERS[format]();
}
