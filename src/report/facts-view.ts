import type { PackageFacts } from '../registry/facts/model.js';
import type { PackageFactsView } from './model.js';

/** The report's per-package view of registry facts; every unknown stays null, never a default that looks fine. */
export function factsView(facts: PackageFacts | undefined): PackageFactsView {
  const locked = facts?.locked ?? null;
  const known = facts?.status === 'ok' && locked !== null;
  return {
    status: facts?.status ?? 'not-gathered',
    publishedAt: locked?.publishedAt ?? null,
    publishedBefore: known && !locked.publishedAt ? (facts.modified ?? null) : null,
    integrity: locked?.integrity ?? null,
    deprecated: locked?.deprecated ?? null,
    installScripts: locked?.installScripts ?? null,
    publisher: locked?.publisher ?? null,
    previousVersion: facts?.previous?.version ?? null,
    hasSignatures: known ? locked.signatures.length > 0 : null,
    hasAttestations: known ? locked.attestations !== null : null,
    error: facts?.error || null,
  };
}
