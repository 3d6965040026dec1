import { describe, expect, it } from 'vitest';
import { lockfileOutOfSync } from '../../src/checks/lockfile-out-of-sync.js';
import { context, declared, inventory } from '../helpers/inventory.js';

const locked = (name: string, version: string, source: 'registry' | 'git' | 'file' = 'registry') => ({ locked: { name, version, source } });
const run = (...deps: ReturnType<typeof declared>[]) => lockfileOutOfSync.run(context(inventory({ declared: deps })));

describe('lockfile-out-of-sync', () => {
  it.each([
    ['a declared dependency the lockfile lacks', declared('express', '^4.21.0'), /holds no entry/],
    ['a locked version outside the range', declared('express', '^5.0.0', locked('express', '4.21.2')), /outside that range/],
    ['an exact pin that moved', declared('openai', '4.104.0', locked('openai', '4.103.0')), /outside that range/],
    ['an alias locked to another package', declared('oai', 'npm:openai@^4.0.0', locked('left-pad', '4.0.0')), /locks left-pad/],
    ['a registry spec locked from git', declared('a', '^1.0.0', locked('a', '1.0.0', 'git')), /git source/],
  ])('reports %s', (_label, dep, message) => {
    const findings = run(dep);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(message);
  });

  it.each([
    ['a satisfied range', declared('express', '^4.21.0', locked('express', '4.21.2'))],
    ['a satisfied alias', declared('oai', 'npm:openai@^4.0.0', locked('openai', '4.104.0'))],
    ['a tag', declared('portkey-ai', 'latest', locked('portkey-ai', '1.0.0'))],
    ['a workspace protocol', declared('shared', 'workspace:*')],
    ['a git spec locked from git', declared('g', 'git+https://git.example.test/g.git', locked('g', '1.0.0', 'git'))],
    ['a prerelease in range', declared('x', '^1.0.0-beta.1', locked('x', '1.0.0-beta.3'))],
  ])('accepts %s', (_label, dep) => {
    expect(run(dep)).toEqual([]);
  });

  it('is high for AI gateways and medium otherwise', () => {
    expect(run(declared('portkey-ai', '^1.0.0'))[0]?.severity).toBe('high');
    expect(run(declared('express', '^1.0.0'))[0]?.severity).toBe('medium');
  });

  it('does not run without a lockfile (lockfile-missing covers it)', () => {
    expect(lockfileOutOfSync.run(context(inventory({ lockfile: null, declared: [declared('a', '^1.0.0')] })))).toEqual([]);
  });
});
