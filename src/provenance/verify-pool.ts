import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BundleVerifier, type AttestationKey, type BundleCryptoResult } from './bundle-verify.js';
import { keysDigest } from './verify-cache.js';
import type { VerifyJob, WorkerMessage } from './verify-worker.js';

export interface VerifyPoolOptions {
  trustedRoot: unknown;
  /** Worker threads besides this one; 0 verifies in this thread only. Default: cores − 1 (at least 1). */
  workers?: number;
  /** The compiled worker script; defaults to verify-worker.js next to this module. */
  workerScript?: string;
}

export interface VerifyRequest {
  bundle: unknown;
  keys: AttestationKey[];
}

/** Below this many bundles a worker (which must load sigstore first) would join too late to help. */
const MIN_BUNDLES_FOR_WORKERS = 64;

/**
 * Spreads Sigstore verification over worker threads. This thread verifies too, from the first
 * bundle on; workers take bundles from the same queue as soon as they have started, so a small
 * audit never waits for worker start-up and a large one keeps every core busy.
 */
export class VerifyPool {
  private readonly inline = new Map<string, BundleVerifier>();
  private readonly script: string | null;
  private readonly size: number;
  private started = 0;

  constructor(private readonly options: VerifyPoolOptions) {
    const script = options.workerScript ?? fileURLToPath(new URL('./verify-worker.js', import.meta.url));
    // running from TypeScript sources (tests) there is no compiled worker: verify in this thread
    this.script = existsSync(script) ? script : null;
    this.size = options.workers ?? Math.max(1, availableParallelism() - 1);
  }

  /** Worker threads started so far (0 = everything verified in this thread). */
  get threads(): number {
    return this.started;
  }

  async verifyAll(jobs: VerifyRequest[]): Promise<BundleCryptoResult[]> {
    const results = new Array<BundleCryptoResult | undefined>(jobs.length);
    let next = 0;
    const take = (): number | null => (next < jobs.length ? next++ : null);
    const workers = this.script && this.size > 0 && jobs.length >= MIN_BUNDLES_FOR_WORKERS ? this.spawn(Math.min(this.size, Math.floor(jobs.length / 8))) : [];
    try {
      const fromWorkers = workers.map((worker) => this.drain(worker, jobs, take, results));
      for (let index = take(); index !== null; index = take()) {
        const job = jobs[index];
        if (job) results[index] = this.verifyInline(job.bundle, job.keys);
        // let worker messages in between two verifications
        if (workers.length > 0) await nextTurn();
      }
      await Promise.all(fromWorkers);
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
    // whatever a crashed worker left behind is verified here
    return results.map((result, index) => result ?? this.verifyInline(jobs[index]?.bundle, jobs[index]?.keys ?? []));
  }

  /** Nothing to release between batches: workers live for one batch. Kept for callers' symmetry. */
  async close(): Promise<void> {}

  private verifyInline(bundle: unknown, keys: AttestationKey[]): BundleCryptoResult {
    const digest = keysDigest(keys);
    let verifier = this.inline.get(digest);
    if (!verifier) {
      verifier = new BundleVerifier(this.options.trustedRoot, keys);
      this.inline.set(digest, verifier);
    }
    return verifier.verify(bundle);
  }

  private spawn(count: number): Worker[] {
    const workers: Worker[] = [];
    for (let i = 0; i < count && this.script; i++) {
      workers.push(new Worker(this.script, { workerData: { trustedRoot: this.options.trustedRoot } }));
      this.started++;
    }
    return workers;
  }

  /** Once the worker is ready, feeds it one bundle at a time from the shared queue. */
  private drain(worker: Worker, jobs: VerifyRequest[], take: () => number | null, results: (BundleCryptoResult | undefined)[]): Promise<void> {
    return new Promise((resolve) => {
      let current: number | null = null;
      const feed = () => {
        current = take();
        const job = current === null ? undefined : jobs[current];
        if (current === null || !job) return void resolve();
        const message: VerifyJob = { id: current, bundle: job.bundle, keys: job.keys, keysDigest: keysDigest(job.keys) };
        worker.postMessage(message);
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'result') results[message.id] = message.result;
        feed();
      });
      // a worker that dies leaves its bundle unverified; verifyAll verifies it in this thread
      worker.on('error', () => resolve());
      worker.on('exit', () => resolve());
    });
  }
}

export { keysDigest };
