import { Worker } from 'node:worker_threads';
import type { ToWorker, WorkerInit } from './document-worker.js';

/**
 * The document worker's thread, started before anything is known about the run (`preload`), so
 * it loads its modules while this thread loads its own: about a fifth of a second of a cold run
 * that would otherwise come after the command line's start-up. It waits for its `init` message.
 */
let preloaded: { worker: Worker; forget: () => void } | null = null;

/** Starts a document worker for a later `documentWorker()`, and gives its thread id. It keeps nothing alive and costs only its start-up if never used. */
export function preloadDocumentWorker(): number {
  if (preloaded) return preloaded.worker.threadId;
  const worker = new Worker(workerUrl());
  worker.unref();
  // a worker that failed before it was taken is not handed out; the one started in its place reports the failure
  const forget = () => {
    if (preloaded?.worker === worker) preloaded = null;
  };
  worker.once('error', forget);
  worker.once('exit', forget);
  preloaded = { worker, forget };
  return worker.threadId;
}

/** The preloaded worker, or a new one, given its configuration. Not referenced: the caller refs it while it waits for answers. */
export function documentWorker(init: WorkerInit): Worker {
  const taken = preloaded;
  preloaded = null;
  if (!taken) {
    const worker = new Worker(workerUrl(), { workerData: init });
    worker.unref();
    return worker;
  }
  taken.worker.off('error', taken.forget).off('exit', taken.forget);
  taken.worker.postMessage({ type: 'init', init } satisfies ToWorker);
  return taken.worker;
}

/** Stops a preloaded worker nobody took, if there is one (for embedders that preload and then do not audit). */
export async function dropPreloadedWorker(): Promise<boolean> {
  const taken = preloaded;
  preloaded = null;
  await taken?.worker.terminate();
  return taken !== null;
}

/** Under vitest this module runs from src/*.ts, which Node 20 cannot load in a worker: the build's copy is used. */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../../dist/registry/facts/document-worker.js', import.meta.url) : new URL('./document-worker.js', import.meta.url);
}
