import { describe, expect, it } from 'vitest';
import { unpinnedSpec } from '../../src/checks/unpinned-spec.js';
import { context, declared, inventory } from '../helpers/inventory.js';

const run = (...deps: ReturnType<typeof declared>[]) => unpinnedSpec.run(context(inventory({ declared: deps })));

describe('unpinned-spec', () => {
  it.each([
    ['portkey-ai', 'latest', 'high'],
    ['litellm', '*', 'high'],
    ['@helicone/helpers', '^1.0.0', 'high'],
    ['openai', '^4.0.0', 'medium'],
    ['ai', '~5.0.0', 'medium'],
    ['express', '^4.21.0', 'low'],
    ['express', 'x', 'low'],
    ['express', '>=4 <5', 'low'],
    ['left-pad', 'git+https://git.example.test/a/left-pad.git#main', 'low'],
    ['left-pad', 'https://tarballs.example.test/left-pad-1.0.0.tgz', 'low'],
    ['oai', 'npm:portkey-ai@^1.0.0', 'high'],
  ])('%s@"%s" is unpinned at %s', (name, spec, severity) => {
    const findings = run(declared(name, spec));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe(severity);
    expect(findings[0]?.location).toEqual({ file: 'package.json', line: 5 });
  });

  it.each([
    ['express', '4.21.2'],
    ['portkey-ai', '1.2.3'],
    ['oai', 'npm:openai@4.104.0'],
    ['local', 'file:./vendor/local'],
    ['shared', 'workspace:*'],
    ['left-pad', 'git+https://git.example.test/a/left-pad.git#0123456789abcdef0123456789abcdef01234567'],
  ])('%s@"%s" is pinned', (name, spec) => {
    expect(run(declared(name, spec))).toEqual([]);
  });

  it('says what a range means with no lockfile: every install resolves it afresh (seen on a bun workspace that commits none)', () => {
    const locked = run(declared('openai', '^4.0.0'))[0]?.message;
    const unlocked = unpinnedSpec.run(context(inventory({ lockfile: null, declared: [declared('openai', '^4.0.0')] })))[0]?.message;
    expect(locked).toMatch(/published after the lockfile was written\.$/);
    expect(unlocked).toMatch(/a range that every install resolves afresh, to whatever was published last \(there is no lockfile\)\.$/);
  });

  it('ignores peer dependencies, which are ranges by design', () => {
    expect(run(declared('react', '^18.0.0', { type: 'peer' }))).toEqual([]);
  });

  it('suggests the locked version as the pin', () => {
    const [finding] = run(declared('portkey-ai', 'latest', { locked: { name: 'portkey-ai', version: '1.10.1', source: 'registry' } }));
    expect(finding?.remediation).toContain('"portkey-ai": "1.10.1"');
    expect(finding?.package).toEqual({ name: 'portkey-ai', version: '1.10.1' });
  });
});
