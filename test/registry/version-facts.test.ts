import { describe, expect, it } from 'vitest';
import { contentOf } from '../../src/registry/facts/document-content.js';
import semver from 'semver';
import { parsedView } from '../../src/registry/facts/document-view.js';
import { earlierOf, versionFacts } from '../../src/registry/facts/version-facts.js';

const doc = (manifest: Record<string, unknown>, extra: Record<string, unknown> = {}) => parsedView({ name: 'pkg', versions: { '1.0.0': { name: 'pkg', version: '1.0.0', dist: {}, ...manifest } }, ...extra });
const scriptsOf = (manifest: Record<string, unknown>, full: boolean) => versionFacts(doc(manifest), '1.0.0', full)?.installScripts;

describe('install scripts from a registry document', () => {
  it.each([
    // the registry's abbreviated document: only the flag
    ['abbreviated, no flag, no scripts: none', {}, false, {}],
    ['abbreviated, hasInstallScript: which ones is unknown (the full document is read)', { hasInstallScript: true }, false, null],
    // some mirrors serve scripts in the abbreviated document and drop the flag
    ['abbreviated, scripts without the flag (a mirror)', { scripts: { postinstall: 'node install.js', test: 'vitest' } }, false, { postinstall: 'node install.js' }],
    ['abbreviated, scripts and the flag', { scripts: { install: 'node install/check' }, hasInstallScript: true }, false, { install: 'node install/check' }],
    ['abbreviated, only non-install scripts', { scripts: { build: 'tsc' } }, false, {}],
    ['full, preinstall/install/postinstall', { scripts: { preinstall: 'a', install: 'b', postinstall: 'c', prepare: 'd' } }, true, { preinstall: 'a', install: 'b', postinstall: 'c' }],
    ['full, gypfile: true (binding.gyp) implies node-gyp rebuild', { gypfile: true }, true, { install: 'node-gyp rebuild' }],
    ['full, hasInstallScript without scripts (binding.gyp)', { hasInstallScript: true, scripts: { test: 'x' } }, true, { install: 'node-gyp rebuild' }],
    ['full, a declared install wins over the gypfile default', { gypfile: true, scripts: { install: 'prebuild-install || node-gyp rebuild' } }, true, { install: 'prebuild-install || node-gyp rebuild' }],
    ['full, none', { scripts: { test: 'x' } }, true, {}],
  ])('%s', (_label, manifest, full, expected) => {
    expect(scriptsOf(manifest, full)).toEqual(expected);
  });
});

describe('a locked version the document does not list', () => {
  const time = { created: '2020-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', '1.0.0': '2020-01-01T00:00:00.000Z', '1.0.1': '2021-01-01T00:00:00.000Z' };

  it('is removed when the full document\'s time still records it, not listed when it does not', () => {
    const content = contentOf(doc({}, { time }), true, ['1.0.1', '2.0.0', '1.0.0'], {});
    expect(content.removed).toEqual(['1.0.1']);
  });

  it('is unknown from the abbreviated document, which has no time', () => {
    expect(contentOf(doc({}), false, ['1.0.1'], {}).removed).toBeNull();
  });
});

describe('earlierOf', () => {
  it('lists the closest lower versions, newest first: releases before a release, any before a prerelease', () => {
    const versions = ['1.0.0', '2.0.0-beta.1', '1.2.0', 'not-a-version', '1.10.0', '2.0.0', '1.9.9', '0.9.0', '2.0.0-alpha.3'];
    expect(earlierOf(versions, '2.0.0')).toEqual(['1.10.0', '1.9.9', '1.2.0', '1.0.0', '0.9.0']);
    expect(earlierOf(versions, '2.0.0', 2)).toEqual(['1.10.0', '1.9.9']);
    expect(earlierOf(versions, '2.0.0-beta.1')).toEqual(['2.0.0-alpha.3', '1.10.0', '1.9.9', '1.2.0', '1.0.0']);
    expect(earlierOf(versions, 'latest')).toEqual([]);
  });

  it('orders as semver does on a generated document of thousands of versions', () => {
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const tags = ['', '-alpha.1', '-beta.2', '-rc.0', '+build.5', '-dev.20260101', '+build-7', '-rc.1+build-2'];
    const prefixes = ['', '', '', 'v'];
    const versions = Array.from({ length: 3000 }, () => `${prefixes[next(prefixes.length)]}${next(4)}.${next(12)}.${next(30)}${tags[next(tags.length)]}`);
    for (const version of versions.slice(0, 40)) {
      const stable = semver.prerelease(version) === null;
      const expected = versions.filter((other) => semver.lt(other, version) && (!stable || semver.prerelease(other) === null)).sort(semver.rcompare).slice(0, 5);
      expect(earlierOf(versions, version)).toEqual(expected);
    }
  });

  it('reads the shapes semver reads, and only those, when comparing plain releases without it', () => {
    const versions = ['1.2.3', '01.2.3', '1.02.3', ' 1.2.2', '=1.2.1', 'v1.1.9', '1.1.8+build', '999999999999999.0.0', '1.0.9999999999999999', '1.0.12345678901234', '1.0.0-rc.1', 'x.y.z', '1.2', '2.0.0', '0.9.9'];
    for (const version of ['1.2.3', '2.0.0', '1.0.12345678901234']) {
      const expected = versions.filter((other) => semver.valid(other) !== null && semver.lt(other, version) && semver.prerelease(other) === null).sort(semver.rcompare).slice(0, 5);
      expect(earlierOf(versions, version)).toEqual(expected);
    }
  });
});
