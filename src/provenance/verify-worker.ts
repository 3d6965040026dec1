import { parentPort, workerData } from 'node:worker_threads';
import { BundleVerifier, type AttestationKey } from './bundle-verify.js';

export interface VerifyJob {
  id: number;
  bundle: unknown;
  keys: AttestationKey[];
  keysDigest: string;
}

const { trustedRoot } = workerData as { trustedRoot: unknown };
const verifiers = new Map<string, BundleVerifier>();

parentPort?.on('message', (job: VerifyJob) => {
  let verifier = verifiers.get(job.keysDigest);
  if (!verifier) {
    verifier = new BundleVerifier(trustedRoot, job.keys);
    verifiers.set(job.keysDigest, verifier);
  }
  parentPort?.postMessage({ id: job.id, result: verifier.verify(job.bundle) });
});
