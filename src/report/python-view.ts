import type { PythonSubject } from '../python/release-facts.js';
import { redactUrl } from '../python/redact.js';
import type { PythonPackageReport } from './model.js';

/** The Python AI packages as the JSON report shows them (`pythonPackages`): pin, index and what it said. */
export function pythonPackagesView(subjects: PythonSubject[]): PythonPackageReport[] {
  return subjects.map(({ pin, facts }) => ({
    name: pin.requirement.name,
    version: pin.version,
    range: pin.range,
    tool: pin.tool,
    tier: pin.tier,
    role: pin.role,
    location: { file: pin.requirement.file, line: pin.requirement.line },
    pinning: pin.pinning,
    pinnedBy: pin.pinnedBy,
    index: facts?.index ? { url: redactUrl(facts.index.url), origin: facts.index.origin } : null,
    facts: {
      status: facts?.status ?? 'not-gathered',
      uploadedAt: facts?.uploadedAt ?? null,
      yanked: facts?.yanked ?? null,
      previousVersion: facts?.previousVersion ?? null,
      error: facts?.error ?? null,
    },
    provenance: facts?.status === 'ok' ? facts.provenance.status : 'unknown',
    provenanceProblems: facts?.status === 'ok' ? facts.provenance.reasons : [],
    publishers: facts?.status === 'ok' ? facts.provenance.publishers.map(({ kind, repository, workflow }) => ({ kind, repository, workflow })) : [],
  }));
}
