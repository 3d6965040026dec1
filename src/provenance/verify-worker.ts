import { parentPort, workerData } from 'node:worker_threads';
import { BundleVerifier, type AttestationKey, type BundleCryptoResult } from './bundle-verify.js';

export interface VerifyJob {
  id: number;
  bundle: unknown;
  keys: AttestationKey[];
  keysDigest: string;
}

export type WorkerMessage = { type: 'ready' } | { type: 'result'; id: number; result: BundleCryptoResult };

const { trustedRoot } = workerData as { trustedRoot: unknown };
const verifiers = new Map<string, BundleVerifier>();

parentPort?.on('message', (job: VerifyJob) => {
  let verifier = verifiers.get(job.keysDigest);
  if (!verifier) {
    verifier = new BundleVerifier(trustedRoot, job.keys);
    verifiers.set(job.keysDigest, verifier);
  }
  const message: WorkerMessage = { type: 'result', id: job.id, result: verifier.verify(job.bundle) };
  parentPort?.postMessage(message);
});
parentPort?.postMessage({ type: 'ready' } satisfies WorkerMessage);
