import { describe, expect, it } from 'vitest';
import type { PackageProvenance, ProvenanceFacts } from '../../src/provenance/model.js';
import type { RegistryFacts } from '../../src/registry/facts/model.js';
import { uncheckedOf } from '../../src/report/unchecked.js';
import { failedFacts, packageFacts } from '../helpers/facts.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';

const packages = [
  lockedPackage({ name: 'a', version: '1.0.0' }),
  lockedPackage({ name: 'b', version: '1.0.0' }),
  lockedPackage({ name: 'c', version: '1.0.0' }),
  lockedPackage({ name: 'gone', version: '1.0.0' }),
  lockedPackage({ name: 'git-dep', version: '1.0.0', source: 'git' }),
  lockedPackage({ name: 'inner', version: '1.0.0', bundled: true }),
];
const inv = inventory({ packages });

function registry(): RegistryFacts {
  const entries = [packageFacts('a', '1.0.0'), packageFacts('b', '1.0.0'), failedFacts('c', '1.0.0', 'not-cached', null), failedFacts('gone', '1.0.0', 'version-not-found', null)];
  return { packages: new Map(entries.map((facts) => [facts.id, facts])), keys: new Map(), errors: [] };
}

function checked(id: string, signature: 'verified' | 'unknown', provenance: PackageProvenance['provenance'], reason: string | null): PackageProvenance {
  const [name = '', version = ''] = id.split('@');
  return { id, name, version, signature: { status: signature, keyid: null, integrity: null, reason: signature === 'unknown' ? reason : null }, provenance, reason: provenance === 'unknown' ? reason : null, problems: [], source: null, predicateTypes: [], publishAttestation: false, earlierWithProvenance: [], declaredRepository: null };
}

describe('summary.unchecked', () => {
  it('counts registry packages only, leaves findings (not found) and bundled copies out, and groups reasons', () => {
    const provenance = {
      packages: new Map([
        ['a@1.0.0', checked('a@1.0.0', 'unknown', 'unknown', 'the registry publishes no signing keys')],
        ['b@1.0.0', checked('b@1.0.0', 'verified', 'missing', null)],
        ['c@1.0.0', checked('c@1.0.0', 'unknown', 'unknown', 'registry facts unavailable (not-cached: not in the cache)')],
      ]),
    } as unknown as ProvenanceFacts;
    const reasons = [
      { reason: 'registry facts unavailable (not in the cache, --offline)', packages: 1 },
      { reason: 'the provenance stage did not run', packages: 1 },
      { reason: 'the registry publishes no signing keys', packages: 1 },
    ];
    expect(uncheckedOf(inv, registry(), provenance)).toEqual([
      { check: 'registry-facts', packages: 1, reasons: [{ reason: 'not in the cache (--offline)', packages: 1 }] },
      { check: 'signatures', packages: 3, reasons },
      { check: 'provenance', packages: 3, reasons },
    ]);
  });

  it('is empty when everything was checked', () => {
    const ok = inventory({ packages: [lockedPackage({ name: 'a', version: '1.0.0' })] });
    const facts: RegistryFacts = { packages: new Map([['a@1.0.0', packageFacts('a', '1.0.0')]]), keys: new Map(), errors: [] };
    const provenance = { packages: new Map([['a@1.0.0', checked('a@1.0.0', 'verified', 'verified', null)]]) } as unknown as ProvenanceFacts;
    expect(uncheckedOf(ok, facts, provenance)).toEqual([]);
  });

  it('names every registry package when no stage ran', () => {
    expect(uncheckedOf(inv, undefined, undefined).map((entry) => `${entry.check} ${entry.packages} ${entry.reasons[0]?.reason}`)).toEqual([
      'registry-facts 4 the registry stage did not run',
      'signatures 4 the provenance stage did not run',
      'provenance 4 the provenance stage did not run',
    ]);
  });
});
