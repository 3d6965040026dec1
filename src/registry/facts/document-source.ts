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
  /** For a package the cache knows nothing about: see `fetchDocument`. */
  fullAfter?: number;
}

/** A `RegistryFetchError` as plain data: it crosses between the document worker and this thread. */
export interface SerializedFetchError {
  kind: RegistryFetchError['kind'] | 'internal';
  message: string;
  url: string;
  status: number | null;
}

export function serializeFetchError(error: unknown, url: string): SerializedFetchError {
  return error instanceof RegistryFetchError
    ? { kind: error.kind, message: error.message, url: error.url, status: error.status }
    : { kind: 'internal', message: String(error instanceof Error ? error.stack : error), url, status: null };
}

/** The `RegistryFetchError` again; null for an internal failure (a bug on the other side, not the registry's answer). */
export function fetchErrorOf(serialized: SerializedFetchError): RegistryFetchError | null {
  return serialized.kind === 'internal' ? null : new RegistryFetchError(serialized.kind, serialized.message, serialized.url, serialized.status);
}

/**
 * A fetched document and which one it is: the full document may stand in for the abbreviated one
 * (see `fetchDocument`); when that failed, `fullFailure` says how.
 */
export type ReceivedDocument = Fetched<Buffer> & { document: DocumentKind; fullFailure?: SerializedFetchError };

export interface DocumentAnswer {
  /** 200, or 304 when the conditional request found the cached entry current (then `content` is null). */
  status: number;
  validators: ResponseValidators;
  content: Content | null;
  /** The full document, asked for in the abbreviated one's place, failed so: the facts report it rather than ask again. */
  fullFailure?: SerializedFetchError;
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
    content: async (name, kind, request) => answerOf(await fetchDocument(client, name, kind, request), name, request),
    close: () => Promise.resolve(),
  };
}

/**
 * The document asked for; or, for the abbreviated one of a package the facts will need the full
 * document of, the full document in its place. `fullAfter` says when that is: a document changed
 * after that moment (epoch ms) may hold a locked version inside its window, and -Infinity means
 * always (the strict tier, install scripts). The abbreviated answer's `Last-Modified` decides,
 * before its body is decoded; the body is then set aside and the full document fetched, so the
 * abbreviated document is never parsed only to ask for the full one. Its validators are kept:
 * they are what the facts cache revalidates. Should the full document fail, the abbreviated one
 * answers after all, with the failure, which the facts report.
 */
export async function fetchDocument(client: RegistryClient, name: string, kind: DocumentKind, request: Pick<DocumentRequest, 'conditional' | 'fullAfter'>): Promise<ReceivedDocument> {
  const conditional = request.conditional ?? {};
  const fullAfter = kind === 'abbreviated' ? request.fullAfter : undefined;
  if (fullAfter === undefined) return { ...(await client.documentBytes(name, kind, conditional)), document: kind };
  const { decode, ...abbreviated } = await client.documentBytes(name, 'abbreviated', { ...conditional, holdBody: ({ lastModified }) => changedAfter(lastModified, fullAfter) });
  if (!decode) return { ...abbreviated, document: 'abbreviated' };
  let full: Fetched<Buffer>;
  try {
    full = await client.documentBytes(name, 'full');
  } catch (error) {
    return { ...abbreviated, body: decode(), document: 'abbreviated', fullFailure: serializeFetchError(error, client.documentUrl(name)) };
  }
  return { ...full, validators: abbreviated.validators, document: 'full' };
}

function changedAfter(lastModified: string | null, after: number): boolean {
  if (after === -Infinity) return true;
  const changed = lastModified === null ? Number.NaN : Date.parse(lastModified);
  return changed > after;
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
export function answerOf(fetched: ReceivedDocument, name: string, request: DocumentRequest): DocumentAnswer {
  if (fetched.status === 304) return { status: 304, validators: fetched.validators, content: null };
  const view = scannedView(fetched.body) ?? parsedView(parseDocument(name, fetched).body as Record<string, unknown>);
  try {
    const content = contentOf(view, fetched.document === 'full', request.locked, request.reuse);
    return { status: fetched.status, validators: fetched.validators, content, ...(fetched.fullFailure ? { fullFailure: fetched.fullFailure } : {}) };
  } catch (error) {
    if (error instanceof SyntaxError) throw new RegistryFetchError('malformed', `malformed JSON from ${fetched.url}: ${error.message}`, fetched.url);
    throw error;
  }
}
