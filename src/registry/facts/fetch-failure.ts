import { AuditError } from '../../model/errors.js';
import type { LockedPackage } from '../../inventory/model.js';
import { RegistryFetchError, type RegistryClient } from '../transport/client.js';
import type { FactsStatus, PackageFacts } from './model.js';

export interface Failure {
  status: FactsStatus;
  message: string;
}

/** What a failed document fetch means for the package; an unreachable registry ends the run. */
export function fetchFailure(error: unknown, name: string, client: RegistryClient): Failure {
  if (!(error instanceof RegistryFetchError)) throw error;
  const registry = client.registryFor(name);
  if (error.kind === 'network' && !client.hasAnswered(registry)) {
    throw new AuditError('EREGISTRY_UNREACHABLE', `Cannot reach the registry ${registry} (${error.message}); check the network or proxy settings, or run with --offline.`, { cause: error });
  }
  if (error.kind === 'not-found') return { status: 'package-not-found', message: `the registry ${registry} has no package ${name}` };
  if (error.kind === 'not-cached') return { status: 'not-cached', message: 'not in the cache (--offline)' };
  return { status: 'error', message: error.message };
}

export function failed(pkg: LockedPackage, failure: Failure): PackageFacts {
  return { id: pkg.id, name: pkg.name, version: pkg.version, status: failure.status, error: failure.message, locked: null, previous: null, earlier: [], document: null, modified: null, latest: null };
}
