import { Worker } from 'node:worker_threads';
import { DEFAULT_CONCURRENCY, RegistryFetchError, type DocumentKind, type RegistryClient } from './client.js';
import type { FromWorker, ToWorker, WorkerInit } from './document-worker.js';
import type { DocumentAnswer, DocumentRequest, DocumentSource } from './documents.js';

interface Pending {
  name: string;
  resolve(answer: DocumentAnswer): void;
  reject(error: Error): void;
}

/**
 * Package documents fetched, parsed and reduced on a worker thread: on npm's stack each request
 * costs the main thread about as much CPU as the rest of the audit spends per package, so on a
 * machine with a second core the documents arrive while the main thread builds the inventory,
 * reads the project and verifies signatures. The worker runs its own RegistryClient with the
 * same npm configuration and client options; the answers are the ones `inlineDocuments` gives.
 * The worker starts on first use and only keeps the process alive while an answer is awaited.
 */
export class WorkerDocuments implements DocumentSource {
  private readonly workers: Array<Worker | null>;
  private readonly pending = new Map<number, Pending>();
  /** Which worker prefetched a name: its answer is there. */
  private readonly owner = new Map<string, number>();
  private nextId = 0;
  private nextWorker = 0;
  private closed = false;

  /** `threads` workers share the client's concurrency. */
  constructor(
    private readonly client: RegistryClient,
    readonly threads = defaultThreads(),
  ) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => null);
  }

  /** Starts fetching these packages' abbreviated documents, spread over the workers; `content` later picks each up once. */
  prefetch(names: string[]): void {
    const shares = this.workers.map(() => [] as string[]);
    for (const name of names) {
      if (this.owner.has(name)) continue;
      const index = this.nextWorker++ % shares.length;
      this.owner.set(name, index);
      shares[index]?.push(name);
    }
    shares.forEach((share, index) => share.length > 0 && this.post(index, { type: 'prefetch', names: share }));
  }

  content(name: string, kind: DocumentKind, request: DocumentRequest): Promise<DocumentAnswer> {
    if (this.closed) return Promise.reject(new RegistryFetchError('aborted', `aborted: ${this.client.documentUrl(name)}`, this.client.documentUrl(name)));
    const id = this.nextId++;
    const index = this.owner.get(name) ?? this.nextWorker++ % this.workers.length;
    return new Promise<DocumentAnswer>((resolve, reject) => {
      this.pending.set(id, { name, resolve, reject });
      if (this.pending.size === 1) this.workers.forEach((worker) => worker?.ref());
      this.post(index, { type: 'content', id, name, kind, request });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0, this.workers.length);
    this.failAll(() => new RegistryFetchError('aborted', 'aborted: the document worker was stopped', ''));
    await Promise.all(workers.map((worker) => worker?.terminate()));
  }

  private post(index: number, message: ToWorker): void {
    if (this.closed) return;
    this.started(index).postMessage(message);
  }

  private started(index: number): Worker {
    const existing = this.workers[index];
    if (existing) return existing;
    const { config } = this.client;
    const concurrency = Math.max(1, Math.ceil((this.client.options.concurrency ?? DEFAULT_CONCURRENCY) / this.workers.length));
    const init: WorkerInit = { config: { registry: config.registry, scopedRegistries: config.scopedRegistries, defaultRegistry: config.defaultRegistry, flat: config.flat }, options: { ...this.client.options, concurrency } };
    const worker = new Worker(workerUrl(), { workerData: init });
    worker.on('message', (reply: FromWorker) => this.settle(reply));
    worker.on('error', (error) => this.failAll(() => error));
    worker.on('exit', (code) => this.failAll(() => new Error(`the registry document worker exited (${code})`)));
    if (this.pending.size === 0) worker.unref();
    this.workers[index] = worker;
    return worker;
  }

  private settle(reply: FromWorker): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.workers.forEach((worker) => worker?.unref());
    if (reply.answered) this.client.markAnswered(this.client.registryFor(pending.name));
    if (reply.answer) return pending.resolve(reply.answer);
    const error = reply.error;
    if (!error || error.kind === 'internal') return pending.reject(new Error(`registry document worker: ${error?.message ?? 'no answer'}`));
    pending.reject(new RegistryFetchError(error.kind, error.message, error.url, error.status));
  }

  private failAll(error: () => Error): void {
    for (const pending of this.pending.values()) pending.reject(error());
    this.pending.clear();
  }
}

/**
 * One worker: measured on 2 cores, a second one cost ~50 MB and more wall time than it saved (the
 * main thread, the workers and the registry then compete for the cores).
 */
function defaultThreads(): number {
  return 1;
}

/** Under vitest this module runs from src/*.ts, which Node 20 cannot load in a worker: the build's copy is used. */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/registry/document-worker.js', import.meta.url) : new URL('./document-worker.js', import.meta.url);
}
