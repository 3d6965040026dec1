/**
 * Evidence about AI tools, as plain data. Collectors (package, source, env, deploy) produce
 * signals; classify.ts turns catalog defaults plus signals into the four answers.
 */

export type SignalKind = 'package' | 'source' | 'config' | 'deploy';

/** Where a base URL comes from: a literal host, an environment variable, or both (resolved). */
export interface UrlRef {
  host: string | null;
  envVar: string | null;
  /** The URL is built from something the analysis cannot follow (a computed host, a user setting). */
  computed?: boolean;
  /** An identifier imported from another project module, resolved once every file is read. */
  imported?: { file: string; name: string; member: string | null };
}

export type Fact =
  /** The project's source imports an npm package. */
  | { type: 'import'; pkg: string }
  /** `new X({...})` where X comes from an npm package: a provider or gateway client and its routing. */
  | { type: 'client'; pkg: string; ctor: string; baseUrl: UrlRef | null; headers: string[] }
  /** A call of a function imported from an npm package (wrappers, instrumentation registration). */
  | { type: 'call'; pkg: string; fn: string; category: 'wrapper' | 'instrumentation' | 'other' }
  /** A header name known to belong to a gateway. */
  | { type: 'header'; header: string }
  /** A plain HTTP call (`fetch`, axios, got, ky) and where it goes. */
  | { type: 'fetch'; target: UrlRef; llmPath: boolean }
  /**
   * A host the code names without an LLM call to it that the analysis follows: a constant or option
   * named as an API base (`DEFAULT_OPENROUTER_HOST = 'https://openrouter.ai/api'`), or a call to its
   * account API (`fetch('https://openrouter.ai/api/v1/auth/keys', …)`). Only the host is kept.
   */
  | { type: 'named-host'; name: string; host: string }
  /** A `provider/model` string passed where the AI SDK routes it through its hosted gateway. */
  | { type: 'model-route'; pkg: string; model: string }
  /** A variable name defined in a `.env*` file (never its value). */
  | { type: 'env-var'; name: string }
  /** A `.env*` variable holding a URL: only its host is kept. */
  | { type: 'env-url'; name: string; host: string }
  /** A `.env*` variable set to a boolean word. */
  | { type: 'env-flag'; name: string; value: boolean }
  /** A non-secret variable set to one short word (`LLM_PROVIDER=openrouter`), as a choice key (see `choiceKey`): compared with provider choices, never printed. */
  | { type: 'env-word'; name: string; word: string }
  /** A container image reference in a deployment file. */
  | { type: 'image'; image: ImageRef; service: string | null }
  /** A Python package requirement or lock entry. */
  | { type: 'python'; name: string; spec: string; pinnedVersion: string | null; locked: boolean }
  /** Facts read from a package tarball. */
  | { type: 'pkg-host'; pkg: string; host: string }
  | { type: 'pkg-env'; pkg: string; name: string }
  | { type: 'pkg-patch'; pkg: string; pattern: string }
  | { type: 'pkg-install-script'; pkg: string; script: string }
  | { type: 'pkg-imports'; pkg: string; imported: string };

/**
 * Where the code picks one AI backend among several at run time (`case 'openrouter':`, an `if` on
 * the provider's name): the branch a route sits in when only that pick takes it.
 */
export interface Choice {
  file: string;
  line: number;
  /** The names that pick the branch, as the code writes them (`openrouter`, `OPENROUTER`, `302.AI`). */
  labels: string[];
  /** The choice the branch sits in, if any (a test inside a `case`): the first that names the endpoint is the one shown. */
  outer?: Choice;
}

export interface Signal {
  kind: SignalKind;
  fact: Fact;
  /** One sentence for humans. Never a secret value. */
  detail: string;
  /** Relative to the project root (or `name@version/path` inside a package). */
  file?: string;
  line?: number;
  /** Set on source signals in code that runs only for one provider choice. */
  choice?: Choice;
}

export interface ImageRef {
  /** As written, e.g. `ghcr.io/berriai/litellm:main-latest`. */
  raw: string;
  /** Registry and repository without tag or digest, e.g. `ghcr.io/berriai/litellm`. */
  repository: string;
  tag: string | null;
  digest: string | null;
}
