import { describe, expect, it } from 'vitest';
import { lockfileIntegrityMissing } from '../../src/checks/lockfile-integrity-missing.js';
import { context, inventory, lockedPackage } from '../helpers/inventory.js';

const run = (...packages: ReturnType<typeof lockedPackage>[]) => lockfileIntegrityMissing.run(context(inventory({ packages })));

describe('lockfile-integrity-missing', () => {
  it.each([
    ['no integrity', null, /no integrity hash/],
    ['sha1 only', 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=', /weak sha1/],
  ])('reports %s', (_label, integrity, message) => {
    const findings = run(lockedPackage({ name: 'a', version: '1.0.0', integrity }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(message);
    expect(findings[0]?.location).toEqual({ file: 'package-lock.json', line: 10 });
  });

  it('accepts sha512, also next to a sha1', () => {
    expect(run(lockedPackage({ name: 'a', version: '1.0.0', integrity: 'sha512-abc' }))).toEqual([]);
    expect(run(lockedPackage({ name: 'a', version: '1.0.0', integrity: 'sha1-abc sha512-def' }))).toEqual([]);
  });

  it('skips git and directory packages, which npm does not hash', () => {
    expect(run(lockedPackage({ name: 'a', version: '1.0.0', integrity: null, source: 'git' }))).toEqual([]);
    expect(run(lockedPackage({ name: 'b', version: '1.0.0', integrity: null, source: 'directory' }))).toEqual([]);
  });

  it('skips a bundled dependency (npm inBundle): its parent tarball carries it, and its integrity covers it', () => {
    expect(run(lockedPackage({ name: 'npm-bundled', version: '1.0.0', integrity: null, bundled: true }))).toEqual([]);
  });

  it('is high for an AI gateway', () => {
    expect(run(lockedPackage({ name: 'portkey-ai', version: '1.0.0', integrity: null }))[0]?.severity).toBe('high');
  });
});
