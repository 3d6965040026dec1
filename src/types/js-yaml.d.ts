declare module 'js-yaml' {
  export interface Schema {
    readonly __schema: unique symbol;
  }
  export const CORE_SCHEMA: Schema;
  export class YAMLException extends Error {}
  export function load(text: string, options?: { schema?: Schema; filename?: string; json?: boolean }): unknown;
  const jsYaml: { load: typeof load; CORE_SCHEMA: Schema; YAMLException: typeof YAMLException };
  export default jsYaml;
}
