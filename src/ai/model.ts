import type { AiTier } from '../model/tier.js';
import type { AiRole, HandlesKeys, RequestPath, SendsPrompts } from './catalog.js';
import type { Choice } from './evidence/types.js';

export interface AiToolEvidence {
  kind: 'catalog' | 'package' | 'source' | 'config' | 'deploy';
  detail: string;
  /** Relative to the project root, or `name@version/path` inside a package tarball. */
  file?: string;
  line?: number;
  /** The answers this evidence set or changed (absent: supporting context). */
  supports?: AiAnswerName[];
}

export type AiAnswerName = 'requestPath' | 'handlesKeys' | 'sendsPrompts' | 'singlePointOfFailure';

/** Where the tool came from: an npm package, a Python package, a container image, or a hosted endpoint the source calls. */
export type AiToolOrigin = 'npm' | 'pypi' | 'container' | 'endpoint';

/** Who runs the hop or the backend the tool talks to: the vendor, the project itself, or someone unknown. */
export type AiHosting = 'vendor' | 'self-hosted' | 'unknown';

/**
 * How an answer is known: the project shows it, the package does it by default and the project
 * uses it, the code offers it for a provider picked at run time that nothing in the project picks,
 * or it is only in the tree.
 */
export type AiConfidence = 'observed' | 'default' | 'offered' | 'possible';

/** `package`: an npm or Python package; `endpoint`: a gateway, proxy or provider API the calls go to; `deployment`: an image the project runs. */
export type AiToolKind = 'package' | 'endpoint' | 'deployment';

/** One place the project sends LLM calls somewhere: a base URL option, an env var, a fetch target, a model id. */
export interface AiRoute {
  /** `base-url`: an SDK option; `env`: an SDK's base-URL variable; `fetch`: a plain HTTP call; `model-id`: an AI SDK `provider/model` string; `client`: a gateway SDK's own default. */
  how: 'base-url' | 'env' | 'fetch' | 'model-id' | 'client';
  /** The package whose calls take the route, or null for plain HTTP calls. */
  from: string | null;
  detail: string;
  file: string;
  line: number | null;
  /** Set when the code takes the route only for one provider picked at run time: where it is picked. */
  choice?: Choice;
}

export interface AiEndpointReport {
  /** The host the calls go to; null for a hosted gateway reached by an SDK's built-in default. */
  host: string | null;
  /** Packages (or `fetch`) whose calls reach it. */
  reachedBy: string[];
  routes: AiRoute[];
}

export interface AiToolReport {
  name: string;
  version: string | null;
  kind: AiToolKind;
  origin: AiToolOrigin;
  /** Catalog tool name; `unknown` for packages found by their code alone. */
  tool: string;
  vendor: string;
  tier: AiTier;
  role: AiRole | 'provider-api' | 'unknown';
  requestPath: RequestPath;
  handlesKeys: HandlesKeys;
  sendsPrompts: SendsPrompts;
  singlePointOfFailure: boolean | null;
  /** Who runs the hop or the backend; null when nothing leaves the process. */
  hosting: AiHosting | null;
  /** The gateway(s) this tool's LLM calls go through, e.g. `OpenRouter (openrouter.ai)`; null when direct. */
  via: string | null;
  /** How each of the four answers is known; only `observed` and `default` raise a finding above info. */
  confidence: Record<AiAnswerName, AiConfidence>;
  /** Names of the endpoint entries this tool's calls go through. */
  reaches: string[];
  /** Set on `endpoint` entries. */
  endpoint: AiEndpointReport | null;
  /** Base URLs the analysis could not resolve (an unset variable, a computed host): they may lead to a gateway. */
  unresolved: AiRoute[];
  summary: string;
  evidence: AiToolEvidence[];
}
