import { parseDocument, RegistryFetchError, type DirectRequest, type DocumentKind, type Fetched, type RegistryClient, type ResponseValidators } from '../transport/client.js';
import { contentOf, type Content } from './document-content.js';
import { parsedView, scannedView } from './document-view.js';
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
      return { status: 200, validators: fetched.validators, content: contentOf(parsedView(fetched.body), kind === 'full', request.locked, request.reuse) };
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Reduces one fetched document, parsing only the parts the facts read (see `scannedView`); bytes
 * not shaped like a document are parsed whole, so they fail as they always did. Throws
 * `RegistryFetchError` 'malformed'.
 */
export function answerOf(fetched: Fetched<Buffer>, name: string, kind: DocumentKind, request: DocumentRequest): DocumentAnswer {
  if (fetched.status === 304) return { status: 304, validators: fetched.validators, content: null };
  const view = scannedView(fetched.body) ?? parsedView(parseDocument(name, fetched).body as Record<string, unknown>);
  try {
    return { status: fetched.status, validators: fetched.validators, content: contentOf(view, kind === 'full', request.locked, request.reuse) };
  } catch (error) {
    if (error instanceof SyntaxError) throw new RegistryFetchError('malformed', `malformed JSON from ${fetched.url}: ${error.message}`, fetched.url);
    throw error;
  }
}
