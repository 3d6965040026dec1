import { parseDocument, type DirectRequest, type DocumentKind, type Fetched, type RegistryClient, type ResponseValidators } from '../transport/client.js';
import { contentOf, type Content } from './document-content.js';
import type { CachedVersion } from './cache.js';

export interface DocumentRequest {
  /** The locked versions: their facts and their predecessors' are kept. */
  locked: string[];
  /** The previous cache entry's facts (full-document facts carry over while the integrity is unchanged). */
  reuse: Record<string, CachedVersion>;
  /** Validators of the cached entry: a conditional request. */
  conditional?: DirectRequest;
}

export interface DocumentAnswer {
  /** 200, or 304 when the conditional request found the cached entry current (then `content` is null). */
  status: number;
  validators: ResponseValidators;
  content: Content | null;
}

/**
 * Where package documents come from, straight from the registry (past npm's HTTP cache), reduced
 * to the facts the audit keeps: inline on this thread, or on the document worker.
 */
export interface DocumentSource {
  content(name: string, kind: DocumentKind, request: DocumentRequest): Promise<DocumentAnswer>;
  close(): Promise<void>;
}

export function inlineDocuments(client: RegistryClient): DocumentSource {
  return {
    content: async (name, kind, request) => answerOf(await client.documentBytes(name, kind, request.conditional ?? {}), name, kind, request),
    close: () => Promise.resolve(),
  };
}

/** Offline: documents from npm's own HTTP cache (what `npm install` left there), reduced the same way. */
export function npmCacheDocuments(client: RegistryClient): DocumentSource {
  return {
    content: async (name, kind, request) => {
      const fetched = await client.packument(name, kind);
      return { status: 200, validators: fetched.validators, content: contentOf(fetched.body, kind === 'full', request.locked, request.reuse) };
    },
    close: () => Promise.resolve(),
  };
}

/** Parses and reduces one fetched document (throws `RegistryFetchError` 'malformed'). */
export function answerOf(fetched: Fetched<Buffer>, name: string, kind: DocumentKind, request: DocumentRequest): DocumentAnswer {
  const parsed = parseDocument(name, fetched);
  return { status: parsed.status, validators: parsed.validators, content: parsed.body ? contentOf(parsed.body, kind === 'full', request.locked, request.reuse) : null };
}
