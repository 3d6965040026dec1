declare module 'make-fetch-happen' {
  import type { FetchResponse } from 'npm-registry-fetch';
  function makeFetchHappen(uri: string, opts?: Record<string, unknown>): Promise<FetchResponse>;
  export default makeFetchHappen;
}
