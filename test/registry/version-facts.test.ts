import { describe, expect, it } from 'vitest';
import { contentOf } from '../../src/registry/facts/document-content.js';
import { versionFacts } from '../../src/registry/facts/version-facts.js';

const doc = (manifest: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'pkg', versions: { '1.0.0': { name: 'pkg', version: '1.0.0', dist: {}, ...manifest } }, ...extra });
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
