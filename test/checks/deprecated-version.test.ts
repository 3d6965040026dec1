import { describe, expect, it } from 'vitest';
import { deprecatedVersion } from '../../src/checks/deprecated-version.js';
import type { PackageFacts } from '../../src/registry/facts/model.js';
import { failedFacts, packageFacts, runCheck } from '../helpers/facts.js';

const facts = (name: string, deprecated: string | null, latest: string | null = '3.0.0'): PackageFacts => packageFacts(name, '2.0.0', { locked: { deprecated }, latest });
const run = (f: PackageFacts) => runCheck(deprecatedVersion, [{ facts: f }]);

describe('deprecated-version', () => {
  it.each([
    ['any package, plain deprecation', 'base-64', 'Use the native atob/btoa', 'low', false],
    ['an AI provider SDK, plain deprecation', 'openai', 'Upgrade to v5', 'low', false],
    ['an AI gateway, plain deprecation', 'portkey-ai', 'Please upgrade to 3.x', 'medium', false],
    ['an AI cost tool, plain deprecation', '@helicone/helpers', 'Renamed to @helicone/sdk', 'medium', false],
    ['a security advisory', 'base-64', 'Critical security vulnerability, upgrade to 3.0.0', 'high', true],
    ['a malicious release', 'debug', 'This version was compromised; do not use', 'high', true],
    ['a CVE', 'qs', 'Affected by CVE-2022-24999', 'high', true],
    ['malware', 'colors', 'contains MALWARE', 'high', true],
    ['a hijacked release', 'ua-parser-js', 'Hijacked release, see advisory', 'high', true],
    ['an insecure version', 'request', 'This version is insecure, upgrade to 3.0.0', 'high', true],
  ])('reports %s at %s', (_label, name, deprecated, severity, securityRelated) => {
    const findings = run(facts(name, deprecated));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'deprecated-version',
      severity,
      package: { name, version: '2.0.0' },
      location: { file: 'package-lock.json', line: 10 },
      evidence: { deprecated, securityRelated, latest: '3.0.0' },
    });
    expect(findings[0]?.message).toContain(`"${deprecated}"`);
  });

  it("carries the registry's deprecation text and the latest version", () => {
    const [finding] = run(facts('base-64', '  Use the native atob/btoa \n'));
    expect(finding?.message).toBe('base-64@2.0.0 is deprecated: "Use the native atob/btoa".');
    expect(finding?.remediation).toBe('Move to a version that is not deprecated (latest is 3.0.0), or replace the package as the message suggests.');
  });

  it('says when the message points at a security problem', () => {
    expect(run(facts('debug', 'compromised release'))[0]?.message).toBe('debug@2.0.0 is deprecated: "compromised release" — the message points at a security problem.');
  });

  it('does not suggest the locked version itself as the way out', () => {
    expect(run(facts('base-64', 'no longer maintained', '2.0.0'))[0]?.remediation).not.toContain('latest is');
    expect(run(facts('base-64', 'no longer maintained', null))[0]?.remediation).not.toContain('latest is');
  });

  it.each([
    ['a version that is not deprecated', null],
    ['an un-deprecated version (npm sets an empty message)', ''],
  ])('does not report %s', (_label, deprecated) => {
    expect(run(facts('base-64', deprecated))).toEqual([]);
  });

  it('does not read security words inside other words', () => {
    expect(run(facts('base-64', 'Superseded by base64-js; unmaintained'))[0]?.severity).toBe('low');
    expect(run(facts('base-64', 'Renamed to @acme/nonsecurities-client'))[0]?.severity).toBe('low');
  });

  it.each(['version-not-found', 'package-not-found', 'error', 'not-cached', 'not-applicable'] as const)('does not judge facts that are %s', (status) => {
    expect(run(failedFacts('base-64', '2.0.0', status, null))).toEqual([]);
  });
});
