// The document worker's thread: fetches package documents with its own RegistryClient, built from
// the main thread's npm configuration and client options, then parses and reduces them (see
// worker-documents.ts). Only reduced content crosses back, never a whole document.
import { parentPort, workerData } from 'node:worker_threads';
import { RegistryClient, RegistryFetchError, type DocumentKind, type Fetched, type RegistryClientOptions } from './client.js';
import { answerOf, type DocumentRequest } from './documents.js';
import type { NpmConfig } from './npm-config.js';

export type WorkerConfig = Pick<NpmConfig, 'registry' | 'scopedRegistries' | 'defaultRegistry' | 'flat'>;

export interface WorkerInit {
  config: WorkerConfig;
  options: RegistryClientOptions;
}

export type ToWorker = { type: 'prefetch'; names: string[] } | { type: 'content'; id: number; name: string; kind: DocumentKind; request: DocumentRequest };

export interface SerializedFetchError {
  kind: RegistryFetchError['kind'] | 'internal';
  message: string;
  url: string;
  status: number | null;
}

export interface FromWorker {
  id: number;
  answer?: ReturnType<typeof answerOf>;
  error?: SerializedFetchError;
  /** Whether the package's registry has given any HTTP answer to this worker. */
  answered: boolean;
}

if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const config: NpmConfig = {
    ...init.config,
    lookup: () => {
      throw new Error('npm config lookups are not available in the document worker');
    },
  };
  const client = new RegistryClient(config, init.options);
  /** Abbreviated documents asked for before anyone needed them; each is handed out once. */
  const prefetched = new Map<string, Promise<Fetched<Buffer>>>();

  const answer = async (message: Extract<ToWorker, { type: 'content' }>): Promise<FromWorker> => {
    const { id, name, kind, request } = message;
    const early = kind === 'abbreviated' ? prefetched.get(name) : undefined;
    prefetched.delete(name);
    try {
      // a prefetched unconditional 200 answers a conditional request as well as a 304 would
      const fetched = await (early ?? client.documentBytes(name, kind, request.conditional ?? {}));
      return { id, answer: answerOf(fetched, name, kind, request), answered: client.hasAnswered(client.registryFor(name)) };
    } catch (error) {
      const serialized: SerializedFetchError =
        error instanceof RegistryFetchError ? { kind: error.kind, message: error.message, url: error.url, status: error.status } : { kind: 'internal', message: String(error instanceof Error ? error.stack : error), url: client.documentUrl(name), status: null };
      return { id, error: serialized, answered: client.hasAnswered(client.registryFor(name)) };
    }
  };

  port.on('message', (message: ToWorker) => {
    if (message.type === 'prefetch') {
      for (const name of message.names) {
        if (prefetched.has(name)) continue;
        const pending = client.documentBytes(name, 'abbreviated');
        pending.catch(() => undefined); // reported when the document is asked for
        prefetched.set(name, pending);
      }
    } else {
      void answer(message).then((reply) => port.postMessage(reply));
    }
  });
}
