// The document worker's thread: fetches package documents with its own RegistryClient, built from
// the main thread's npm configuration and client options, then parses and reduces them (see
// worker-documents.ts). Only reduced content crosses back, never a whole document.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RegistryClient, type DocumentKind, type RegistryClientOptions } from '../transport/client.js';
import { answerOf, fetchDocument, serializeFetchError, type DocumentRequest, type ReceivedDocument, type SerializedFetchError } from './document-source.js';
import type { NpmConfig } from '../../config/npm-config.js';

export type WorkerConfig = Pick<NpmConfig, 'registry' | 'scopedRegistries' | 'defaultRegistry' | 'flat'>;

export interface WorkerInit {
  config: WorkerConfig;
  options: RegistryClientOptions;
}

export type ToWorker =
  /** The configuration of a worker started without `workerData` (preloaded): the first message it gets. */
  | { type: 'init'; init: WorkerInit }
  /** `fullAfter`: each name's `DocumentRequest.fullAfter`, where it has one. */
  | { type: 'prefetch'; names: string[]; fullAfter: Record<string, number> }
  | { type: 'content'; id: number; name: string; kind: DocumentKind; request: DocumentRequest }
  /** The main thread takes up to `count` waiting documents, as slots come free, to fetch them itself. */
  | { type: 'claim'; count: number }
  /** That many of the main thread's claimed fetches have finished: their slots are the worker's again. */
  | { type: 'release'; count: number };

export type FromWorker =
  | { type: 'answer'; id: number; answer?: ReturnType<typeof answerOf>; error?: SerializedFetchError; answered: boolean }
  /** The document was claimed by the main thread before it was asked for here: the answer is there. */
  | { type: 'answer'; id: number; claimed: true; answered: boolean }
  /** Claimed documents for the main thread to fetch, handed over as slots come free. */
  | { type: 'claimed'; names: string[] };

if (parentPort) {
  const port = parentPort;
  if (workerData) serve(port, workerData as WorkerInit);
  else port.once('message', (message: ToWorker) => (message.type === 'init' ? serve(port, message.init) : port.close()));
}

function serve(port: MessagePort, init: WorkerInit): void {
  const config: NpmConfig = {
    ...init.config,
    lookup: () => {
      throw new Error('npm config lookups are not available in the document worker');
    },
  };
  const client = new RegistryClient(config, init.options);
  const concurrency = Math.max(1, init.options.concurrency ?? 1);
  /** Abbreviated documents started before anyone asked for them; each is handed out once. */
  const prefetched = new Map<string, Promise<ReceivedDocument>>();
  /** The `fullAfter` of every name prefetched or asked for with one. */
  const fullAfter = new Map<string, number>();
  /** Abbreviated documents not started yet, with the requests already waiting for them: the ones the main thread may claim. */
  const waiting = new Map<string, Array<Extract<ToWorker, { type: 'content' }>>>();
  /** Start order of the waiting documents: asked-for ones first, then the rest oldest first (both cleaned lazily). */
  const askedOrder: string[] = [];
  const prefetchOrder: string[] = [];
  /** Other fetches somebody waits for (full or conditional documents), started before any waiting document. */
  const urgent: Array<() => void> = [];
  const claimedByMain = new Set<string>();
  let active = 0;
  /** Slots the main thread holds for the documents it claimed: the two together keep to the concurrency. */
  let lent = 0;

  const answered = (name: string) => client.hasAnswered(client.registryFor(name));
  const reply = (message: FromWorker) => port.postMessage(message);

  const run = <T>(fetch: () => Promise<T>): Promise<T> => {
    active++;
    const promise = fetch();
    const finish = () => {
      active--;
      startMore();
    };
    promise.then(finish, finish);
    return promise;
  };

  const answerFrom = async (bytes: Promise<ReceivedDocument>, message: Extract<ToWorker, { type: 'content' }>): Promise<FromWorker> => {
    const { id, name, request } = message;
    try {
      return { type: 'answer', id, answer: answerOf(await bytes, name, request), answered: answered(name) };
    } catch (error) {
      return { type: 'answer', id, error: serializeFetchError(error, client.documentUrl(name)), answered: answered(name) };
    }
  };

  const startWaiting = (name: string) => {
    const asks = waiting.get(name) ?? [];
    waiting.delete(name);
    const after = fullAfter.get(name);
    const bytes = run(() => fetchDocument(client, name, 'abbreviated', after === undefined ? {} : { fullAfter: after }));
    bytes.catch(() => undefined); // reported when the document is asked for
    if (asks.length === 0) prefetched.set(name, bytes);
    for (const ask of asks) void answerFrom(bytes, ask).then(reply);
  };

  const nextWaiting = (order: string[]): string | undefined => {
    for (let name = order.shift(); name !== undefined; name = order.shift()) if (waiting.has(name)) return name;
    return undefined;
  };

  /** Claims not yet handed over: each takes the next free slot and waiting document, before the worker starts one itself. */
  let owed = 0;

  const startMore = () => {
    const handed: string[] = [];
    const answers: FromWorker[] = [];
    while (active + lent < concurrency) {
      const next = urgent.shift();
      if (next) {
        next();
        continue;
      }
      if (owed > 0) {
        const name = claimOne(answers);
        if (name === undefined) break;
        owed--;
        handed.push(name);
        continue;
      }
      const name = nextWaiting(askedOrder) ?? nextWaiting(prefetchOrder);
      if (name === undefined) break;
      startWaiting(name);
    }
    // the names go first, so the main thread knows them before any 'claimed' answer arrives
    if (handed.length > 0) reply({ type: 'claimed', names: handed });
    answers.forEach(reply);
  };

  const ask = (message: Extract<ToWorker, { type: 'content' }>) => {
    const { id, name, kind, request } = message;
    if (kind === 'abbreviated') {
      if (request.fullAfter !== undefined) fullAfter.set(name, request.fullAfter);
      if (claimedByMain.delete(name)) return reply({ type: 'answer', id, claimed: true, answered: answered(name) });
      const asks = waiting.get(name);
      if (asks) {
        asks.push(message);
        askedOrder.push(name);
        return startMore();
      }
      const early = prefetched.get(name);
      prefetched.delete(name);
      // a prefetched unconditional 200 answers a conditional request as well as a 304 would
      if (early) return void answerFrom(early, message).then(reply);
      if (!request.conditional?.etag && !request.conditional?.lastModified) {
        // not prefetched (another lockfile format, or a name the quick read missed): it waits in line, claimable too
        waiting.set(name, [message]);
        askedOrder.push(name);
        return startMore();
      }
    }
    urgent.push(() => void answerFrom(run(() => fetchDocument(client, name, kind, request)), message).then(reply));
    startMore();
  };

  /** Hands the main thread one waiting document from the back of the line (the worker works from the front). */
  const claimOne = (answers: FromWorker[]): string | undefined => {
    for (const order of [prefetchOrder, askedOrder]) {
      while (order.length > 0) {
        const name = order.pop() as string;
        const asks = waiting.get(name);
        if (!asks) continue;
        waiting.delete(name);
        lent++;
        if (asks.length === 0) claimedByMain.add(name);
        else for (const message of asks) answers.push({ type: 'answer', id: message.id, claimed: true, answered: answered(name) });
        return name;
      }
    }
    return undefined;
  };

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'prefetch':
        for (const name of message.names) {
          const after = message.fullAfter[name];
          if (after !== undefined) fullAfter.set(name, after);
          if (prefetched.has(name) || waiting.has(name) || claimedByMain.has(name)) continue;
          waiting.set(name, []);
          prefetchOrder.push(name);
        }
        return startMore();
      case 'claim':
        owed += message.count;
        return startMore();
      case 'release':
        lent = Math.max(0, lent - message.count);
        return startMore();
      case 'content':
        return ask(message);
      case 'init':
        return;
    }
  });
}
