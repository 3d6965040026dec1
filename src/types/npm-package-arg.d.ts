declare module 'npm-package-arg' {
  interface Result {
    type: 'git' | 'tag' | 'version' | 'range' | 'file' | 'directory' | 'remote' | 'alias';
    registry: boolean;
    name: string | null;
    raw: string;
    rawSpec: string;
    saveSpec: string | null;
    fetchSpec: string | null;
    gitCommittish?: string | null;
    gitRange?: string | null;
    hosted?: unknown;
    subSpec?: Result;
  }
  function npa(arg: string, where?: string): Result;
  namespace npa {
    function resolve(name: string, spec: string, where?: string): Result;
  }
  export default npa;
  export type { Result };
}
