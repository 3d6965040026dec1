declare module 'npm-registry-fetch' {
  interface FetchResponse {
    status: number;
    headers: { get(name: string): string | null };
    body: AsyncIterable<Buffer> & { destroy?: (error?: Error) => void };
  }
  function npmFetch(uri: string, opts?: Record<string, unknown>): Promise<FetchResponse>;
  namespace npmFetch {
    function pickRegistry(spec: string, opts?: Record<string, unknown>): string;
    function json(uri: string, opts?: Record<string, unknown>): Promise<unknown>;
  }
  export default npmFetch;
}
