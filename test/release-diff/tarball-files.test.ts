import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { excerptAt, MAX_EXCERPT } from '../../src/release-diff/excerpt.js';
import { checkIntegrity } from '../../src/release-diff/integrity.js';
import { DEFAULT_TARBALL_LIMITS, readPackageTarball } from '../../src/release-diff/tarball-files.js';
import { makeTarball } from '../helpers/packuments.js';

const sri = (data: Buffer, algorithm: 'sha1' | 'sha512' = 'sha512') => `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;

describe('readPackageTarball', () => {
  it('reads package.json and code files in memory, and skips native binaries and type declarations', async () => {
    const tarball = await makeTarball('native-thing', '1.0.0', {
      'index.js': 'module.exports = 1;\n',
      'lib/a.mjs': 'export const a = 1;\n',
      'types/index.d.ts': 'export declare const a: number;\n',
      'build/Release/addon.node': '\u007fELF binary',
      'README.md': '# native-thing\n',
    });
    const read = await readPackageTarball(tarball.data, tarball.integrity);
    expect(read.ok && read.integrity).toBe('verified');
    if (!read.ok) return;
    expect([...read.contents.files.keys()].sort()).toEqual(['index.js', 'lib/a.mjs', 'package.json']);
    expect(read.contents.skipped).toEqual([{ path: 'build/Release/addon.node', reason: 'binary' }]);
    expect(read.contents.truncated).toBe(false);
  });

  it('returns an integrity mismatch as a failure, never as contents', async () => {
    const tarball = await makeTarball('tampered', '1.0.0', { 'index.js': 'module.exports = 1;\n' });
    const other = await makeTarball('tampered', '1.0.0', { 'index.js': 'module.exports = 2;\n' });
    const read = await readPackageTarball(tarball.data, other.integrity);
    expect(read).toMatchObject({ ok: false, failure: 'integrity-mismatch' });
    expect(checkIntegrity(tarball.data, `${sri(tarball.data, 'sha1')} ${other.integrity}`)).toBe('mismatch');
    expect(checkIntegrity(tarball.data, `${sri(other.data, 'sha1')} ${tarball.integrity}`)).toBe('verified');
  });

  it('says unchecked, not verified, when there is no usable integrity', async () => {
    const tarball = await makeTarball('no-integrity', '1.0.0');
    expect(await readPackageTarball(tarball.data, null)).toMatchObject({ ok: true, integrity: 'unchecked' });
    expect(checkIntegrity(tarball.data, 'md5-abc')).toBe('unchecked');
  });

  it('keeps to the per-entry and total bounds and says what it left out', async () => {
    const tarball = await makeTarball('big', '1.0.0', { 'a.js': 'a'.repeat(300), 'b.js': 'b'.repeat(2000), 'c.js': 'c'.repeat(300), 'd.js': 'd'.repeat(300) });
    const read = await readPackageTarball(tarball.data, tarball.integrity, { ...DEFAULT_TARBALL_LIMITS, maxEntryBytes: 1000, maxTotalBytes: 900 });
    if (!read.ok) throw new Error(read.message);
    expect(read.contents.truncated).toBe(true);
    expect(read.contents.skipped).toEqual(expect.arrayContaining([{ path: 'b.js', reason: 'too-large' }, { path: 'd.js', reason: 'over-total' }]));
    expect(read.contents.files.has('a.js')).toBe(true);
    // makeTarball writes package.json first; the manifest is read past the bounds wherever it sits
    const late = await makeTarball('late-manifest', '1.0.0', { 'a.js': 'a'.repeat(800) });
    const reordered = await readPackageTarball(late.data, late.integrity, { ...DEFAULT_TARBALL_LIMITS, maxTotalBytes: 100, maxFiles: 1 });
    expect(reordered.ok && [...reordered.contents.files.keys()]).toEqual(['package.json']);
  });

  it('stops a gzip bomb at the unpacked bound', async () => {
    const tarball = await makeTarball('bomb', '1.0.0', { 'a.js': ' '.repeat(4 * 1024 * 1024) });
    const read = await readPackageTarball(tarball.data, tarball.integrity, { ...DEFAULT_TARBALL_LIMITS, maxUnpackedBytes: 64 * 1024 });
    expect(read.ok && read.contents.truncated).toBe(true);
  });

  it('returns bytes that are not a tarball as unreadable', async () => {
    const garbage = gzipSync(Buffer.from('<html>not a tarball</html>'));
    expect(await readPackageTarball(Buffer.from('\u001f\u008bnot gzip at all', 'latin1'), null)).toMatchObject({ ok: false, failure: 'unreadable' });
    expect(await readPackageTarball(garbage, sri(garbage))).toMatchObject({ ok: false, failure: 'unreadable', message: 'tarball has no package.json' });
    expect(await readPackageTarball(Buffer.from('plain bytes'.repeat(100)), null)).toMatchObject({ ok: false, failure: 'unreadable' });
  });
});

describe('excerptAt', () => {
  it('makes control and invisible characters visible and keeps to the bound', () => {
    const text = `ok\nconst a = "\u001b[2J\u202eevil"; ${'x'.repeat(500)}\nnext`;
    const excerpt = excerptAt(text, text.indexOf('const'));
    expect(excerpt.startsWith('const a = "\\x1b[2J\\u202eevil";')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT + 2);
    expect(excerpt).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});
