declare module '@npmcli/config' {
  export default class Config {
    constructor(options: Record<string, unknown>);
    load(): Promise<void>;
    get flat(): Record<string, unknown>;
    get(key: string, where?: string): unknown;
    find(key: string): string | null;
    data: Map<string, { source: string | null }>;
  }
}
declare module '@npmcli/config/lib/definitions/index.js' {
  const npmDefinitions: {
    definitions: Record<string, { default?: unknown } | undefined>;
    shorthands: Record<string, string[]>;
    flatten(obj: Record<string, unknown>, flat?: Record<string, unknown>): Record<string, unknown>;
  };
  export default npmDefinitions;
}
