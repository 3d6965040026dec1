import type { Report } from '../report/model.js';
import { forJson } from './escape.js';

export function formatJson(report: Report): string {
  return `${forJson(report)}\n`;
}
