import { describe, expect, it } from 'vitest';
import { lockfileUntrustedSource } from '../../src/checks/lockfile-untrusted-source.js';
import { context, inventory, lockedPackage } from '../helpers/inventory.js';

const REGISTRY = 'https://registry.example.test/';
const run = (...packages: ReturnType<typeof lockedPackage>[]) =>
  lockfileUntrustedSource.run(context(inventory({ packages }), { trustedRegistries: [REGISTRY], trustedHosts: ['mirror.example.test'] }));

describe('lockfile-untrusted-source', () => {
  it.each([
    ['plain http', { resolved: 'http://registry.example.test/a/-/a-1.0.0.tgz' }, 'insecure-http', 'high'],
    ['another host', { resolved: 'https://evil.example.test/a/-/a-1.0.0.tgz' }, 'unexpected-host', 'medium'],
    ['git', { source: 'git' as const, resolved: 'git+ssh://git@git.example.test/a.git#0123' }, 'git', 'medium'],
    ['a remote tarball', { source: 'remote' as const, resolved: 'https://tarballs.example.test/a-1.0.0.tgz' }, 'remote-tarball', 'medium'],
    ['a tarball outside the project', { source: 'file' as const, resolved: 'file:../outside/a-1.0.0.tgz' }, 'outside-project', 'medium'],
    ['a folder outside the project', { source: 'directory' as const, resolved: 'file:../../elsewhere/a' }, 'outside-project', 'medium'],
  ])('reports %s', (_label, overrides, kind, severity) => {
    const findings = run(lockedPackage({ name: 'a', version: '1.0.0', ...overrides }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence.kind).toBe(kind);
    expect(findings[0]?.severity).toBe(severity);
  });

  it.each([
    ['the configured registry', { resolved: `${REGISTRY}a/-/a-1.0.0.tgz` }],
    ['a trusted mirror host', { resolved: 'https://mirror.example.test/a/-/a-1.0.0.tgz' }],
    ['a registry package without resolved (omit-lockfile-registry-resolved)', { resolved: null }],
    ['a tarball inside the project', { source: 'file' as const, resolved: 'file:vendor/a-1.0.0.tgz' }],
    ['a folder inside the project', { source: 'directory' as const, resolved: 'file:packages/a' }],
  ])('accepts %s', (_label, overrides) => {
    expect(run(lockedPackage({ name: 'a', version: '1.0.0', ...overrides }))).toEqual([]);
  });

  it('accepts plain http to this machine (a local registry) but still holds its host to the trusted list', () => {
    const local = (host: string) => lockedPackage({ name: 'a', version: '1.0.0', resolved: `http://${host}:4873/a/-/a-1.0.0.tgz` });
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) {
      const findings = run(local(host));
      expect(findings.map((finding) => finding.evidence.kind)).toEqual(['unexpected-host']);
    }
    const trusted = lockfileUntrustedSource.run(context(inventory({ packages: [local('127.0.0.1')] }), { trustedRegistries: ['http://127.0.0.1:4873/'] }));
    expect(trusted).toEqual([]);
    expect(run(local('127.0.0.1.example.test')).map((finding) => finding.evidence.kind)).toEqual(['insecure-http']);
  });

  it('is high for an AI gateway from git', () => {
    const findings = run(lockedPackage({ name: 'portkey-ai', version: '1.0.0', source: 'git', resolved: 'git+https://git.example.test/p.git' }));
    expect(findings[0]?.severity).toBe('high');
  });
});

describe('lockfile-untrusted-source for a whole lockfile from a foreign host', () => {
  const foreign = (name: string) => lockedPackage({ name, version: '1.0.0', resolved: `https://alias.example.test/${name}/-/${name}-1.0.0.tgz` });

  it('is one finding per host naming the packages, medium without AI gateways', () => {
    const findings = run(foreign('a'), foreign('b'), foreign('c'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'medium', package: null, evidence: { kind: 'unexpected-host', host: 'alias.example.test', packageCount: 3 } });
    expect(findings[0]?.message).toMatch(/^3 packages are resolved from alias\.example\.test/);
  });

  it('is high when an AI gateway comes from that host, and names it first', () => {
    const findings = run(foreign('a'), foreign('portkey-ai'));
    expect(findings[0]?.severity).toBe('high');
    expect(findings[0]?.message).toMatch(/\(portkey-ai@1\.0\.0, and 1 more\)/);
  });
});
