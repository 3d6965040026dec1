import { isRecord } from '../../util/is-record.js';

/**
 * What the facts read of a package document: which versions it lists, the manifests of some of
 * them, and a few top-level fields (`dist-tags`, `time`, `modified`).
 */
export interface DocumentView {
  /** The keys of `versions` whose value is an object, in document order. */
  readonly versions: readonly string[];
  manifest(version: string): Record<string, unknown> | null;
  /** A top-level field as JSON.parse would give it; undefined when absent. */
  field(name: string): unknown;
}

/** A view of a document already parsed (npm's cache, tests). */
export function parsedView(doc: Record<string, unknown>): DocumentView {
  const manifests = isRecord(doc.versions) ? doc.versions : {};
  const manifest = (version: string) => {
    const value = Object.hasOwn(manifests, version) ? manifests[version] : undefined;
    return isRecord(value) ? value : null;
  };
  return {
    versions: Object.keys(manifests).filter((version) => manifest(version) !== null),
    manifest,
    field: (name) => (Object.hasOwn(doc, name) ? doc[name] : undefined),
  };
}

/**
 * A view of a document's bytes that parses only what is asked for. A registry document is
 * mostly the manifests of every version ever published (typescript's is 10 MB); the facts need
 * the manifests of the locked versions and their predecessors. The bytes are indexed without
 * being decoded: top-level members and the members of `versions` are located by their
 * boundaries, and only the values asked for are decoded and given to JSON.parse. Repeated keys
 * resolve as JSON.parse resolves them (the last value wins, in the place of the first).
 *
 * Returns null when the bytes are not shaped like a document (not an object, no `versions`
 * object, unbalanced): the caller then parses the whole text, so such input gets the same
 * answer or error it always did. The values that are never asked for are not validated.
 */
export function scannedView(body: Buffer): DocumentView | null {
  try {
    return new ScannedView(body);
  } catch (error) {
    if (error instanceof NotADocument) return null;
    throw error;
  }
}

class NotADocument extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

interface Span {
  start: number;
  end: number;
}

class ScannedView implements DocumentView {
  readonly versions: readonly string[];
  private readonly top: Map<string, Span>;
  private readonly manifests: Map<string, Span>;
  private readonly parsed = new Map<string, unknown>();

  constructor(private readonly body: Buffer) {
    // `versions` is most of a document: its members are indexed as it is passed, not walked twice
    let manifests: Map<string, Span> | null = null;
    const [top, end] = this.members(skipSpace(body, 0), (key, start) => {
      if (key !== 'versions' || body[start] !== OPEN_BRACE) return skipValue(body, start);
      const [members, versionsEnd] = this.members(start);
      manifests = members;
      return versionsEnd;
    });
    if (skipSpace(body, end) !== body.length) throw new NotADocument();
    const versions = top.get('versions');
    if (!versions || body[versions.start] !== OPEN_BRACE || !manifests) throw new NotADocument();
    this.top = top;
    this.manifests = manifests;
    this.versions = [...this.manifests].filter(([, span]) => body[span.start] === OPEN_BRACE).map(([version]) => version);
  }

  manifest(version: string): Record<string, unknown> | null {
    const span = this.manifests.get(version);
    if (!span || this.body[span.start] !== OPEN_BRACE) return null;
    const value = this.parse(span);
    return isRecord(value) ? value : null;
  }

  field(name: string): unknown {
    if (!this.parsed.has(name)) {
      const span = this.top.get(name);
      this.parsed.set(name, span ? this.parse(span) : undefined);
    }
    return this.parsed.get(name);
  }

  private parse(span: Span): unknown {
    return JSON.parse(this.body.toString('utf8', span.start, span.end));
  }

  /** The members of the object starting at `at`, and where the object ends; `skip` passes over each value. */
  private members(at: number, skip: (key: string, start: number) => number = (_key, start) => skipValue(this.body, start)): [Map<string, Span>, number] {
    const { body } = this;
    if (body[at] !== OPEN_BRACE) throw new NotADocument();
    const members = new Map<string, Span>();
    let at2 = skipSpace(body, at + 1);
    if (body[at2] === CLOSE_BRACE) return [members, at2 + 1];
    for (;;) {
      if (body[at2] !== QUOTE) throw new NotADocument();
      const keyEnd = skipString(body, at2);
      const key = this.key(at2, keyEnd);
      at2 = skipSpace(body, keyEnd);
      if (body[at2] !== COLON) throw new NotADocument();
      const start = skipSpace(body, at2 + 1);
      const end = skip(key, start);
      // JSON.parse keeps a repeated key where it first appeared, with its last value
      members.set(key, { start, end });
      at2 = skipSpace(body, end);
      if (body[at2] === COMMA) {
        at2 = skipSpace(body, at2 + 1);
        continue;
      }
      if (body[at2] === CLOSE_BRACE) return [members, at2 + 1];
      throw new NotADocument();
    }
  }

  private key(start: number, end: number): string {
    if (!hasBackslash(this.body, start + 1, end - 1)) return this.body.toString('utf8', start + 1, end - 1);
    const key = JSON.parse(this.body.toString('utf8', start, end)) as unknown;
    if (typeof key !== 'string') throw new NotADocument();
    return key;
  }
}

function skipSpace(body: Buffer, at: number): number {
  let index = at;
  for (;;) {
    const byte = body[index];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return index;
    index++;
  }
}

/** The index after the string whose opening quote is at `at`. */
function skipString(body: Buffer, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = body.indexOf(QUOTE, from);
    if (quote === -1) throw new NotADocument();
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

function hasBackslash(body: Buffer, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (body[index] === BACKSLASH) return true;
  return false;
}

/** The index after the value starting at `at`. */
function skipValue(body: Buffer, at: number): number {
  const first = body[at];
  if (first === QUOTE) return skipString(body, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return skipContainer(body, at);
  // a number, true, false or null: up to the next delimiter
  let index = at;
  for (;;) {
    const byte = body[index];
    if (byte === undefined || byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) break;
    index++;
  }
  if (index === at) throw new NotADocument();
  return index;
}

/** The index after the object or array starting at `at`; brackets must pair up. */
function skipContainer(body: Buffer, at: number): number {
  const closers: number[] = [];
  let depth = 0;
  const length = body.length;
  for (let index = at; index < length; index++) {
    const byte = body[index];
    if (byte === QUOTE) index = skipString(body, index) - 1;
    else if (byte === OPEN_BRACE) closers[depth++] = CLOSE_BRACE;
    else if (byte === OPEN_BRACKET) closers[depth++] = CLOSE_BRACKET;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (depth === 0 || closers[--depth] !== byte) throw new NotADocument();
      if (depth === 0) return index + 1;
    }
  }
  throw new NotADocument();
}
