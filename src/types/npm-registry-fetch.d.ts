declare module 'npm-registry-fetch' {
  export interface FetchResponse {
    status: number;
    headers: { get(name: string): string | null };
    body: AsyncIterable<Buffer> & { destroy?: (error?: Error) => void };
  }
  function npmFetch(uri: string, opts?: Record<string, unknown>): Promise<FetchResponse>;
  namespace npmFetch {
    function pickRegistry(spec: string, opts?: Record<string, unknown>): string;
    function json(uri: string, opts?: Record<string, unknown>): Promise<unknown>;
    /** The credentials npm would send with a request to `uri`. */
    function getAuth(uri: string, opts?: Record<string, unknown>): NpmAuth;
  }
  export interface NpmAuth {
    token: string | null;
    auth: string | null;
    cert: string | null;
    key: string | null;
  }
  export default npmFetch;
}

declare module 'npm-registry-fetch/lib/auth.js' {
  import type { NpmAuth } from 'npm-registry-fetch';
  /** The credentials npm would send with a request to `uri` (npm-registry-fetch's `getAuth`, on its own). */
  function getAuth(uri: string, opts?: Record<string, unknown>): NpmAuth;
  export default getAuth;
}
