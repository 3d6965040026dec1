import { describe, expect, it } from 'vitest';
import { provenanceInvalid } from '../../src/checks/provenance-invalid.js';
import { provenanceMissing } from '../../src/checks/provenance-missing.js';
import { provenanceRegression } from '../../src/checks/provenance-regression.js';
import { provenanceSourceMismatch } from '../../src/checks/provenance-source-mismatch.js';
import { signatureInvalid } from '../../src/checks/signature-invalid.js';
import type { Check } from '../../src/checks/types.js';
import type { PackageProvenance, ProvenanceFacts } from '../../src/provenance/model.js';
import type { Policy } from '../../src/policy/policy.js';
import { context, inventory, lockedPackage } from '../helpers/inventory.js';

function entry(name: string, overrides: Partial<PackageProvenance>): PackageProvenance {
  return {
    id: `${name}@1.0.0`,
    name,
    version: '1.0.0',
    signature: { status: 'verified', keyid: 'k', integrity: 'sha512-x', reason: null },
    provenance: 'verified',
    reason: null,
    problems: [],
    source: { repository: `https://github.com/org/${name}`, ref: 'refs/tags/v1.0.0', commit: 'a'.repeat(40), workflow: '.github/workflows/release.yml', builder: 'b', predicateType: 'https://slsa.dev/provenance/v1', identity: null, issuer: null },
    predicateTypes: [],
    publishAttestation: true,
    earlierWithProvenance: [],
    declaredRepository: `git+https://github.com/org/${name}.git`,
    ...overrides,
  };
}

function run(check: Check, entries: PackageProvenance[], policy: Partial<Policy> = {}, stageRan = true): string[] {
  const inv = inventory({ packages: entries.map((e) => lockedPackage({ name: e.name, version: e.version })) });
  const provenance: ProvenanceFacts = { packages: new Map(entries.map((e) => [e.id, e])), trustRoot: { source: 'file', digest: '' }, stats: { bundles: 0, verifiedFromCache: 0, verifiedNow: 0, threads: 0, ms: 0 }, errors: [], notices: [] };
  return check.run({ ...context(inv, policy), ...(stageRan ? { provenance } : {}) }).map((f) => `${f.package?.name}:${f.severity}`);
}

describe('signature-invalid', () => {
  it('only invalid signatures, critical; missing/unknown are not findings', () => {
    const entries = [
      entry('ok', {}),
      entry('bad', { signature: { status: 'invalid', keyid: 'k', integrity: 'sha512-x', reason: 'does not cover' } }),
      entry('unsigned', { signature: { status: 'missing', keyid: null, integrity: null, reason: 'r' } }),
      entry('unknown', { signature: { status: 'unknown', keyid: null, integrity: null, reason: 'r' } }),
    ];
    expect(run(signatureInvalid, entries)).toEqual(['bad:critical']);
    expect(run(signatureInvalid, entries, {}, false)).toEqual([]);
  });
});

describe('provenance-invalid', () => {
  it('only invalid provenance, critical, with the problems as evidence', () => {
    expect(run(provenanceInvalid, [entry('ok', {}), entry('bad', { provenance: 'invalid', problems: ['x'] }), entry('unk', { provenance: 'unknown' })])).toEqual(['bad:critical']);
  });
});

describe('provenance-regression', () => {
  it('missing now, present before → high; missing throughout or verified now → nothing', () => {
    const entries = [
      entry('dropped', { provenance: 'missing', source: null, earlierWithProvenance: ['0.9.0'] }),
      entry('never', { provenance: 'missing', source: null }),
      entry('kept', { earlierWithProvenance: ['0.9.0'] }),
      entry('unknown', { provenance: 'unknown', earlierWithProvenance: ['0.9.0'] }),
    ];
    expect(run(provenanceRegression, entries)).toEqual(['dropped:high']);
  });
});

describe('provenance-missing', () => {
  const entries = [entry('portkey-ai', { provenance: 'missing', source: null }), entry('express', { provenance: 'missing', source: null }), entry('regressed-gw', { provenance: 'missing', source: null, earlierWithProvenance: ['1.0.0'] })];
  it('AI gateways and AI cost tools by default (regressions are reported by provenance-regression instead)', () => {
    expect(run(provenanceMissing, entries, { tierOverrides: {} })).toEqual(['portkey-ai:medium']);
  });
  it('every package with requireProvenance "all", or the packages named', () => {
    expect(run(provenanceMissing, entries, { requireProvenance: 'all' })).toEqual(['portkey-ai:medium', 'express:medium']);
    expect(run(provenanceMissing, entries, { requireProvenanceFor: ['express'] })).toEqual(['portkey-ai:medium', 'express:medium']);
  });
});

describe('provenance-source-mismatch', () => {
  it('attested repository vs package.json (URL forms normalised) or the policy', () => {
    const entries = [
      entry('same', { declaredRepository: 'github:org/same' }),
      entry('moved', { declaredRepository: 'git+ssh://git@github.com/org/original.git' }),
      entry('no-repo', { declaredRepository: null }),
      entry('invalid', { provenance: 'invalid', source: null, declaredRepository: 'github:x/y' }),
    ];
    expect(run(provenanceSourceMismatch, entries)).toEqual(['moved:high']);
    expect(run(provenanceSourceMismatch, entries, { expectedSources: { same: 'github.com/someone/else', 'no-repo': 'github.com/org/no-repo' } })).toEqual(['same:high', 'moved:high']);
  });
});
