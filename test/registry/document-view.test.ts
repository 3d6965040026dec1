import { describe, expect, it } from 'vitest';
import { contentOf } from '../../src/registry/facts/document-content.js';
import { answerOf, type ReceivedDocument } from '../../src/registry/facts/document-source.js';
import { parsedView, scannedView, type DocumentView } from '../../src/registry/facts/document-view.js';
import { RegistryFetchError } from '../../src/registry/transport/client.js';
import { packument } from '../helpers/packuments.js';

const fetchedOf = (text: string): ReceivedDocument => ({ document: 'full', status: 200, url: 'http://127.0.0.1:9/pkg', validators: { etag: null, lastModified: null, cacheControl: null, age: null }, body: Buffer.from(text), bytes: text.length, cache: 'miss' });

/** What a view says about every version and the fields the facts read. */
function described(view: DocumentView) {
  return {
    versions: [...view.versions],
    manifests: Object.fromEntries(view.versions.map((version) => [version, view.manifest(version)])),
    time: view.field('time'),
    distTags: view.field('dist-tags'),
    modified: view.field('modified'),
    missing: [view.manifest('9.9.9'), view.field('nope')],
  };
}

function expectSameAsJsonParse(text: string) {
  const view = scannedView(Buffer.from(text));
  expect(view, text.slice(0, 200)).not.toBeNull();
  expect(described(view as DocumentView)).toEqual(described(parsedView(JSON.parse(text) as Record<string, unknown>)));
}

describe('a document read by its boundaries', () => {
  it('gives what JSON.parse gives for a registry document, compact or pretty-printed', () => {
    const doc = packument('left-pad', [
      { version: '1.0.0', publishedAt: '2024-01-01T00:00:00.000Z', scripts: { postinstall: 'node "x\\\\y".js' } },
      { version: '1.1.0-beta.1', publishedAt: '2024-02-01T00:00:00.000Z' },
      { version: '1.1.0', publishedAt: '2024-03-01T00:00:00.000Z', deprecated: 'use {pad} instead ] }' },
    ]);
    expectSameAsJsonParse(JSON.stringify(doc));
    expectSameAsJsonParse(JSON.stringify(doc, null, 2));
    expectSameAsJsonParse(JSON.stringify(doc, null, '\t').replaceAll('\n', '\r\n'));
  });

  it('resolves escapes, brackets and quotes inside strings, non-ASCII text and repeated keys as JSON.parse does', () => {
    expectSameAsJsonParse(String.raw`{"name":"p","versions":{"1.0.0":{"description":"a \"quoted\" {brace} [bracket] \\","x":[1,{"y":"}"}]},"\u0032.0.0":{"n":"é ✓ 🚀"},"3.0.0":null,"4.0.0":[{}],"1.0.0":{"again":true}},"time":{"1.0.0":"2024-01-01T00:00:00.000Z"},"dist-tags":{"latest":"2.0.0"},"time":{"2.0.0":"2025-01-01T00:00:00.000Z"},"modified":"2025-01-02T00:00:00.000Z","n":-1.5e3,"t":true,"f":false,"z":null}`);
    expectSameAsJsonParse('{"versions":{}}');
    expectSameAsJsonParse('{"versions":{"1.0.0":{"a":1}},"name":"p","versions":{"2.0.0":{"b":2}}}');
    expectSameAsJsonParse(' \n{ "versions" : { "1.0.0" : { } } , "time" : { } } \n');
  });

  it('agrees with JSON.parse on generated documents', () => {
    let seed = 11;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const strings = ['plain', 'with "quotes"', 'back\\slash\\', '{not: an object}', '[1, 2', 'ünïcødé ✓', '\u0000\u001f', '\\"', ''];
    const value = (depth: number): unknown => {
      switch (next(depth > 2 ? 4 : 6)) {
        case 0:
          return strings[next(strings.length)];
        case 1:
          return next(1000) - 500 + next(100) / 7;
        case 2:
          return [true, false, null][next(3)];
        case 3:
          return strings[next(strings.length)]?.repeat(next(3));
        case 4:
          return Array.from({ length: next(4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: next(4) }, () => [strings[next(strings.length)] as string, value(depth + 1)]));
      }
    };
    for (let round = 0; round < 200; round++) {
      const versions = Object.fromEntries(Array.from({ length: next(8) }, (_, index) => [`${next(3)}.${index}.0`, next(5) === 0 ? value(3) : { name: 'p', dist: { integrity: 'sha512-x' }, extra: value(0) }]));
      const doc = { name: 'p', extra: value(0), versions, time: Object.fromEntries(Object.keys(versions).map((version) => [version, '2024-01-01T00:00:00.000Z'])), 'dist-tags': { latest: '0.0.0' } };
      expectSameAsJsonParse(JSON.stringify(doc, null, next(2) === 0 ? undefined : 1));
    }
  });

  it('leaves bytes that are not shaped like a document to JSON.parse', () => {
    for (const text of ['[]', '{"versions":[]}', '{"name":"p"}', '{"versions":{"1.0.0":{}}', '{"versions":{"1.0.0":{]}}', '{"versions":{}} x', '{"versions":{"a" {}}}', '\ufeff{"versions":{}}', '{"versions":{"1":"unterminated}}', '']) {
      expect(scannedView(Buffer.from(text)), text).toBeNull();
    }
  });

  it('reports malformed documents as malformed, whichever way they fail', () => {
    const request = { locked: ['1.0.0'], reuse: {} };
    for (const text of ['not json', '[]', '{"versions":{"1.0.0":{"dist":{"integrity":"sha512-x",}}}}', '{"versions":{"1.0.0":{"a":tru}}}', '{"versions":{}, "time":{"1.0.0": 01}}']) {
      let failure: unknown = null;
      try {
        answerOf(fetchedOf(text), 'pkg', request);
      } catch (error) {
        failure = error;
      }
      expect(failure, text).toBeInstanceOf(RegistryFetchError);
      expect((failure as RegistryFetchError).kind).toBe('malformed');
    }
  });

  it('reduces a document to the same content either way', () => {
    const doc = packument('left-pad', Array.from({ length: 40 }, (_, index) => ({ version: `1.${index}.0`, publishedAt: new Date(Date.UTC(2024, 0, index + 1)).toISOString(), ...(index === 30 ? { scripts: { install: 'node-gyp rebuild' } } : {}) })));
    const text = JSON.stringify(doc);
    for (const full of [true, false]) {
      const scanned = contentOf(scannedView(Buffer.from(text)) as DocumentView, full, ['1.30.0', '1.2.0', '7.0.0'], {});
      expect(scanned).toEqual(contentOf(parsedView(JSON.parse(text) as Record<string, unknown>), full, ['1.30.0', '1.2.0', '7.0.0'], {}));
    }
  });
});
