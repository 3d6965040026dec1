declare module '@npmcli/agent' {
  export function getAgent(url: string, options?: Record<string, unknown>): unknown;
}
