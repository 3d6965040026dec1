import type { AiTier } from '../model/tier.js';
import type { AiRole, HandlesKeys, RequestPath, SendsPrompts } from './catalog.js';

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

export interface AiToolReport {
  name: string;
  version: string | null;
  origin: AiToolOrigin;
  /** Catalog tool name; `unknown` for packages found by their code alone. */
  tool: string;
  vendor: string;
  tier: AiTier;
  role: AiRole | 'unknown';
  requestPath: RequestPath;
  handlesKeys: HandlesKeys;
  sendsPrompts: SendsPrompts;
  singlePointOfFailure: boolean | null;
  /** Who runs the hop or the backend; null when nothing leaves the process. */
  hosting: AiHosting | null;
  /** The gateway(s) this tool's LLM calls go through, e.g. `OpenRouter (openrouter.ai)`; null when direct. */
  via: string | null;
  summary: string;
  evidence: AiToolEvidence[];
}
