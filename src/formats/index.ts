import type { Report } from '../report/model.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';

export const FORMATS = ['text', 'json'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
}

export function isFormatName(value: string): value is FormatName {
  return (FORMATS as readonly string[]).includes(value);
}

export function formatReport(report: Report, format: FormatName, options: FormatOptions): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'text':
      return formatText(report, options);
  }
}
