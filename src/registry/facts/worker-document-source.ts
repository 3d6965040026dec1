import type { Worker } from 'node:worker_threads';
import { DEFAULT_CONCURRENCY, RegistryFetchError, type DocumentKind, type RegistryClient } from '../transport/client.js';
import type { FromWorker, ToWorker, WorkerInit } from './document-worker.js';
import { documentWorker } from './document-worker-thread.js';
import { answerOf, fetchDocument, fetchErrorOf, type DocumentAnswer, type DocumentRequest, type DocumentSource, type ReceivedDocument } from './document-source.js';

interface Pending {
  name: string;
  kind: DocumentKind;
  request: DocumentRequest;
  resolve(answer: DocumentAnswer): void;
  reject(error: Error): void;
}

const INLINE_BEFORE_WORKER = 16;
/** At most this many of them at once: an eighth of the concurrency, kept back from the worker. */
const INLINE_SLOTS = 6;

/**
 * Package documents fetched, parsed and reduced on a worker thread, with this thread lending a
 * hand at the end: a cold run is CPU-bound (a document costs ~0.85 ms of CPU, fetched, parsed and
 * reduced), so on a machine with a second core the worker fetches the prefetched
 * documents while this thread builds the inventory. Once this thread asks for documents it is
 * free itself, so it claims documents the worker has not started and fetches them here (a
 * handful at a time, from the back of the worker's line) instead of idling until the worker is
 * through. Both fetch with the same npm configuration and client options and give the answers
 * `inlineDocuments` gives; together they keep to the client's concurrency. The worker only keeps
 * the process alive while an answer is awaited.
 */
export class WorkerDocuments implements DocumentSource {
  private worker: Worker | null = null;
  private readonly concurrency: number;
  /** How many documents this thread fetches at once, at most, when it helps. */
  private readonly share: number;
  /** Every name ever prefetched: none is fetched twice. */
  private readonly prefetchedNames = new Set<string>();
  /** Documents this thread claimed from the worker's line, fetched here; each is handed out once. */
  private readonly claimed = new Map<string, Promise<ReceivedDocument>>();
  /** Each name's `DocumentRequest.fullAfter`, from the prefetch or the request: a claimed document is fetched as the worker would have. */
  private readonly fullAfter = new Map<string, number>();
  /** Answers awaited from the worker, by message id. */
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Claimed fetches in progress here, and claims asked for but not yet handed over (the worker keeps them until it has a document to give). */
  private helping = 0;
  private claiming = 0;
  private unreleased = 0;
  private closed = false;
  /** Documents answered on this thread before the worker is started for the rest. */
  private inlineLeft = INLINE_BEFORE_WORKER;
  /** Slots of the concurrency kept back from the worker for those, and how many are in use. */
  private readonly inlineSlots: number;
  private inlineInFlight = 0;
  /** Why requests are refused once closed: stopped, or the worker failed. */
  private closedReason = 'the document worker was stopped';

  constructor(private readonly client: RegistryClient) {
    this.concurrency = Math.max(1, client.options.concurrency ?? DEFAULT_CONCURRENCY);
    this.share = Math.max(1, Math.floor(this.concurrency / 4));
    this.inlineSlots = Math.min(INLINE_SLOTS, Math.floor(this.concurrency / 8));
  }

  /** Starts the worker now, so it loads its modules while this thread does other work. */
  start(): void {
    if (!this.closed) this.started();
  }

  /** Starts fetching these packages' abbreviated documents on the worker; `content` later picks each up once. `fullAfter` as in `DocumentRequest`. */
  prefetch(names: string[], fullAfter: Record<string, number> = {}): void {
    const fresh = names.filter((name) => !this.prefetchedNames.has(name));
    for (const name of fresh) {
      this.prefetchedNames.add(name);
      const after = fullAfter[name];
      if (after !== undefined) this.fullAfter.set(name, after);
    }
    if (fresh.length > 0) this.post({ type: 'prefetch', names: fresh, fullAfter });
  }

  content(name: string, kind: DocumentKind, request: DocumentRequest): Promise<DocumentAnswer> {
    if (this.closed) return Promise.reject(new RegistryFetchError('aborted', `aborted (${this.closedReason}): ${this.client.documentUrl(name)}`, this.client.documentUrl(name)));
    // a warm run asks for a handful of documents (versions missing from the cache, stale entries):
    // they cost less here than the worker's start-up; in slots the worker never gets, so that the
    // two threads together keep to the concurrency when the worker does start
    if (!this.worker && this.inlineLeft > 0 && this.inlineInFlight < this.inlineSlots) {
      this.inlineLeft--;
      return this.inline(name, kind, request);
    }
    if (kind === 'abbreviated' && request.fullAfter !== undefined) this.fullAfter.set(name, request.fullAfter);
    const mine = kind === 'abbreviated' ? this.claimed.get(name) : undefined;
    const answer = mine ? this.answerHere(mine, { name, kind, request }) : this.askWorker({ name, kind, request });
    this.help();
    return answer;
  }

  private async inline(name: string, kind: DocumentKind, request: DocumentRequest): Promise<DocumentAnswer> {
    this.inlineInFlight++;
    try {
      return answerOf(await fetchDocument(this.client, name, kind, request), name, request);
    } finally {
      this.inlineInFlight--;
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.fail('the document worker was stopped', () => new RegistryFetchError('aborted', 'aborted: the document worker was stopped', ''));
    await worker?.terminate();
  }

  private askWorker(ask: Omit<Pending, 'resolve' | 'reject'>): Promise<DocumentAnswer> {
    return new Promise<DocumentAnswer>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { ...ask, resolve, reject });
      if (this.pending.size === 1) this.worker?.ref();
      this.post({ type: 'content', id, ...ask });
    });
  }

  private answerHere(bytes: Promise<ReceivedDocument>, ask: Omit<Pending, 'resolve' | 'reject'>): Promise<DocumentAnswer> {
    this.claimed.delete(ask.name);
    return bytes.then((fetched) => answerOf(fetched, ask.name, ask.request));
  }

  /** Claims more of the worker's waiting documents while fewer than `share` are being fetched here. */
  private help(): void {
    const want = this.share - this.helping - this.claiming;
    if (this.closed || want <= 0) return;
    this.claiming += want;
    this.post({ type: 'claim', count: want });
  }

  private fetchClaimed(names: string[]): void {
    for (const name of names) {
      this.helping++;
      const after = this.fullAfter.get(name);
      const bytes = fetchDocument(this.client, name, 'abbreviated', after === undefined ? {} : { fullAfter: after });
      bytes.catch(() => undefined); // reported when the document is asked for
      this.claimed.set(name, bytes);
      const finish = () => {
        this.helping--;
        // the slot goes back to the worker; releases are reported together
        if (this.unreleased++ === 0) setImmediate(() => this.release());
        this.help();
      };
      bytes.then(finish, finish);
    }
  }

  private release(): void {
    const count = this.unreleased;
    this.unreleased = 0;
    if (count > 0) this.post({ type: 'release', count });
  }

  private post(message: ToWorker): void {
    if (this.closed) return;
    this.started().postMessage(message);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const { config } = this.client;
    const init: WorkerInit = { config: { registry: config.registry, scopedRegistries: config.scopedRegistries, defaultRegistry: config.defaultRegistry, flat: config.flat }, options: { ...this.client.options, concurrency: this.concurrency - this.inlineSlots } };
    const worker = documentWorker(init);
    worker.on('message', (reply: FromWorker) => this.settle(reply));
    worker.on('error', (error) => this.fail(error.message, () => error));
    worker.on('exit', (code) => this.fail(`the registry document worker exited (${code})`, () => new Error(`the registry document worker exited (${code})`)));
    if (this.pending.size > 0) worker.ref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: FromWorker): void {
    if (reply.type === 'claimed') {
      this.claiming -= reply.names.length;
      this.fetchClaimed(reply.names);
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.answered) this.client.markAnswered(this.client.registryFor(pending.name));
    if ('claimed' in reply) {
      const bytes = this.claimed.get(pending.name);
      if (!bytes) return pending.reject(new Error(`registry document worker: ${pending.name} was claimed but is not being fetched`));
      return void this.answerHere(bytes, pending).then(pending.resolve, pending.reject);
    }
    if (reply.answer) return pending.resolve(reply.answer);
    const error = reply.error;
    pending.reject((error && fetchErrorOf(error)) ?? new Error(`registry document worker: ${error?.message ?? 'no answer'}`));
  }

  private fail(reason: string, error: () => Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closedReason = reason;
    for (const pending of this.pending.values()) pending.reject(error());
    this.pending.clear();
  }
}
