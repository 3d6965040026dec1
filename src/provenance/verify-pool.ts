import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BundleVerifier, type AttestationKey, type BundleCryptoResult } from './bundle-verify.js';
import type { VerifyJob } from './verify-worker.js';

export interface VerifyPoolOptions {
  trustedRoot: unknown;
  /** Worker threads to use; 0 verifies in this thread. Default: one per core. */
  workers?: number;
  /** The compiled worker script; defaults to verify-worker.js next to this module. */
  workerScript?: string;
}

interface Pending {
  resolve: (result: BundleCryptoResult) => void;
  reject: (error: Error) => void;
}

/** Below this many bundles, starting workers (each loads sigstore) costs more than it saves. */
const MIN_BUNDLES_FOR_WORKERS = 6;

/** Spreads Sigstore verification over worker threads; falls back to this thread when it must. */
export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly inline = new Map<string, BundleVerifier>();
  private nextId = 0;
  private readonly script: string | null;
  private readonly size: number;

  constructor(private readonly options: VerifyPoolOptions) {
    const script = options.workerScript ?? fileURLToPath(new URL('./verify-worker.js', import.meta.url));
    // running from TypeScript sources (tests) there is no compiled worker: verify inline
    this.script = existsSync(script) ? script : null;
    this.size = options.workers ?? availableParallelism();
  }

  /** Threads actually used for the last batch (0 = inline). */
  get threads(): number {
    return this.workers.length;
  }

  async verifyAll(jobs: { bundle: unknown; keys: AttestationKey[] }[]): Promise<BundleCryptoResult[]> {
    if (jobs.length === 0) return [];
    const useWorkers = this.script !== null && this.size > 0 && jobs.length >= MIN_BUNDLES_FOR_WORKERS;
    if (!useWorkers) return jobs.map((job) => this.verifyInline(job.bundle, job.keys));
    this.start(Math.min(this.size, Math.ceil(jobs.length / 2)));
    const results: BundleCryptoResult[] = new Array<BundleCryptoResult>(jobs.length);
    let next = 0;
    // each worker pulls the next bundle when it finishes one: cores stay busy whatever the mix
    const drain = async (worker: Worker): Promise<void> => {
      while (next < jobs.length) {
        const index = next++;
        const job = jobs[index];
        if (job) results[index] = await this.run(worker, job.bundle, job.keys);
      }
    };
    await Promise.all(this.workers.map(drain));
    return results;
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private verifyInline(bundle: unknown, keys: AttestationKey[]): BundleCryptoResult {
    const digest = keysDigest(keys);
    let verifier = this.inline.get(digest);
    if (!verifier) {
      verifier = new BundleVerifier(this.options.trustedRoot, keys);
      this.inline.set(digest, verifier);
    }
    return verifier.verify(bundle);
  }

  private start(count: number): void {
    while (this.workers.length < count && this.script) {
      const worker = new Worker(this.script, { workerData: { trustedRoot: this.options.trustedRoot } });
      worker.unref();
      worker.on('message', (message: { id: number; result: BundleCryptoResult }) => {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        pending?.resolve(message.result);
      });
      worker.on('error', (error) => this.failAll(error));
      this.workers.push(worker);
    }
  }

  private run(worker: Worker, bundle: unknown, keys: AttestationKey[]): Promise<BundleCryptoResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const job: VerifyJob = { id, bundle, keys, keysDigest: keysDigest(keys) };
      worker.postMessage(job);
    });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

export function keysDigest(keys: AttestationKey[]): string {
  return createHash('sha256').update(JSON.stringify(keys)).digest('hex');
}
