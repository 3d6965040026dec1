import { describe, expect, it } from 'vitest';
import { chainClient, colourLibrary, manifest, playerBundle, smallUtility } from './fixtures/clean-packages.js';
import { diffOfReleases } from './helpers.js';

/** A template engine that always compiled templates with `new Function` and `eval`. */
function templateEngine(version: string, names: { compile: string; source: string; cache: string }, extra = ''): Record<string, string> {
  return {
    'package.json': manifest('tiny-templates', version, { main: 'lib/engine.js' }),
    'lib/engine.js': [
      `const ${names.cache} = new Map();`,
      `function ${names.compile}(${names.source}) {`,
      `  const body = "return \`" + ${names.source}.replace(/\`/g, "\\\\\`") + "\`;";`,
      `  return new Function("data", body);`,
      '}',
      `function render(${names.source}, data) {`,
      `  if (!${names.cache}.has(${names.source})) ${names.cache}.set(${names.source}, ${names.compile}(${names.source}));`,
      `  return ${names.cache}.get(${names.source})(data);`,
      '}',
      `function evaluate(expression) { return eval(expression); }`,
      extra,
      'module.exports = { render, evaluate };',
      '',
    ].join('\n'),
  };
}

/** A minified bundle as a bundler writes it; `rename` maps every local name, `order` shuffles its modules. */
function minifiedSdk(version: string, rename: (name: string) => string, order: number[], extra = ''): Record<string, string> {
  const modules = [
    `function ${rename('a')}(${rename('b')}){return fetch("https://api.telemetry-sdk.invalid/v1/events",{method:"POST",body:JSON.stringify(${rename('b')})})}`,
    `var ${rename('c')}=require("child_process"),${rename('d')}=function(${rename('e')}){return ${rename('c')}.execSync(${rename('e')}).toString()};`,
    `var ${rename('f')}=Function("return this")(),${rename('g')}=Object.keys(process.env).filter(function(${rename('h')}){return/^SDK_/.test(${rename('h')})});`,
    `var ${rename('i')}=new XMLHttpRequest;${rename('i')}.open("GET","https://cdn.telemetry-sdk.invalid/config.json");`,
    `function ${rename('j')}(${rename('k')}){try{return eval(${rename('k')})}catch(${rename('l')}){return null}}`,
  ];
  const body = order.map((index) => modules[index]).join('') + extra;
  return {
    'package.json': manifest('telemetry-sdk', version, { main: 'dist/sdk.min.js' }),
    'dist/sdk.min.js': `/*! telemetry-sdk v${version} | MIT */\n!function(){"use strict";${body}module.exports={send:${rename('a')},run:${rename('d')},ev:${rename('j')}}}();\n`,
  };
}

describe('clean release pairs are not flagged', () => {
  it('a template engine that always used eval and new Function, refactored with new names', async () => {
    const before = templateEngine('3.1.0', { compile: 'compile', source: 'source', cache: 'cache' });
    const after = templateEngine('3.2.0', { compile: 'compileTemplate', source: 'tpl', cache: 'compiled' }, 'function evaluateAll(list) { return list.map((item) => eval(item)); }');
    const diff = await diffOfReleases('tiny-templates', { version: '3.1.0', files: before }, { version: '3.2.0', files: after });
    expect(diff).toMatchObject({ severity: null, reasons: [], added: [] });
  });

  it('a minified bundle rebuilt with different identifiers and module order', async () => {
    const before = minifiedSdk('2.4.0', (name) => name, [0, 1, 2, 3, 4]);
    const renamed = (name: string) => `${name.toUpperCase()}${name.charCodeAt(0) % 7}`;
    const after = minifiedSdk('2.4.1', renamed, [4, 2, 0, 3, 1], 'function Zq(t){return t.trim()}');
    const diff = await diffOfReleases('telemetry-sdk', { version: '2.4.0', files: before }, { version: '2.4.1', files: after });
    expect(diff).toMatchObject({ severity: null, added: [] });
  });

  it('a version bump with a changelog', async () => {
    const before = colourLibrary('5.6.0');
    const after = { ...colourLibrary('5.6.2'), 'CHANGELOG.md': '# 5.6.2\n\n- Fix typo in the readme (https://github.com/example/tint/pull/1)\n' };
    const diff = await diffOfReleases('tint-colours', { version: '5.6.0', files: before }, { version: '5.6.2', files: after });
    expect(diff).toMatchObject({ severity: null, added: [] });
  });

  it('a release that adds a link to its docs in an error message and one more request to its own API', async () => {
    const extra = {
      'lib/errors.js': 'module.exports = (code) => new Error(`failed (${code}); see "https://docs.pad-helpers.invalid/errors#" + code`);\n',
    };
    const before = smallUtility('1.4.0', { 'lib/client.js': 'module.exports = () => fetch("https://api.pad-helpers.invalid/v1/pad");\n' });
    const after = smallUtility('1.5.0', { ...extra, 'lib/client.js': 'module.exports = () => fetch("https://api.pad-helpers.invalid/v1/pad");\nmodule.exports.batch = () => fetch("https://api.pad-helpers.invalid/v1/batch", { method: "POST" });\n' });
    const diff = await diffOfReleases('pad-helpers', { version: '1.4.0', files: before }, { version: '1.5.0', files: after });
    expect(diff.severity).toBeNull();
  });

  it('a release whose only new endpoint is a new documentation host', async () => {
    const before = smallUtility('1.4.0');
    const after = smallUtility('1.4.1', { 'lib/help.js': 'exports.HELP = "https://pad-helpers-guide.invalid/usage";\n' });
    const diff = await diffOfReleases('pad-helpers', { version: '1.4.0', files: before }, { version: '1.4.1', files: after });
    expect(diff.severity).toBeNull();
    // recorded for the reader of the evidence, not a finding on its own
    expect(diff.added.map((signal) => signal.key)).toEqual(['endpoint:pad-helpers-guide.invalid']);
  });

  it('a native addon that moves from node-pre-gyp to node-gyp-build', async () => {
    const before = smallUtility('5.1.1', {}, { scripts: { install: 'node-pre-gyp install --fallback-to-build' } });
    const after = smallUtility('6.0.0', {}, { scripts: { install: 'node-gyp-build' } });
    const diff = await diffOfReleases('pad-helpers', { version: '5.1.1', files: before }, { version: '6.0.0', files: after });
    expect(diff).toMatchObject({ severity: null, added: [] });
  });

  it('a chain client release that adds a signing method over its existing secret key and endpoints', async () => {
    const before = chainClient('1.95.4');
    const after = chainClient('1.95.5', { inFromSecretKey: '    const signer = nacl.publicKeyOf(secretKey.slice(0, 32));\n    if (!signer) throw new Error("no signer");' });
    const diff = await diffOfReleases('@chain-lookalike/web3', { version: '1.95.4', files: before }, { version: '1.95.5', files: after });
    expect(diff.severity).toBeNull();
  });

  it('a minified player rebuilt without changes of substance', async () => {
    const diff = await diffOfReleases('@player-lookalike/lottie-player', { version: '2.0.5', files: playerBundle('2.0.5') }, { version: '2.0.6', files: playerBundle('2.0.6', 'var extra=function(t){return t+1};') });
    expect(diff).toMatchObject({ severity: null, added: [] });
  });
});
