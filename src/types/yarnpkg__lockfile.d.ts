declare module '@yarnpkg/lockfile' {
  export interface ParseResult {
    type: 'success' | 'merge' | 'conflict';
    object: Record<string, Record<string, unknown>>;
  }
  export function parse(text: string, fileLoc?: string): ParseResult;
}
