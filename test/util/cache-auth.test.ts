import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheAuth, readSealed, writeSealed } from '../../src/util/cache-auth.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aca-seal-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const auth = CacheAuth.fromKey(Buffer.alloc(32, 7));
// non-ASCII, astral and escaped text: the tag is checked over the file's bytes, the payload decoded once
const payload = JSON.stringify({ note: 'café — 日本語 — 🚀', escaped: '\u001b[31m', quote: '"\\' });

describe('sealed cache files', () => {
  it('a file written by writeSealed reads back exactly, as bytes or as text', async () => {
    const file = join(dir, 'entry.json');
    await writeSealed(file, 'label', payload, auth);
    expect(await readSealed(file, 'label', auth)).toBe(payload);
    const text = await readFile(file, 'utf8');
    expect(auth.open('label', text)).toBe(payload);
    expect(auth.open('label', Buffer.from(text, 'utf8'))).toBe(payload);
  });

  it('another label, another key, an edited payload, a cut or missing header: absent', async () => {
    const file = join(dir, 'entry.json');
    await writeSealed(file, 'label', payload, auth);
    const sealed = await readFile(file);
    expect(await readSealed(file, 'other label', auth)).toBeNull();
    expect(await readSealed(file, 'label', CacheAuth.fromKey(Buffer.alloc(32, 8)))).toBeNull();
    const newline = sealed.indexOf(0x0a);
    const edited = Buffer.from(sealed);
    edited[edited.length - 3] = edited[edited.length - 3] === 0x61 ? 0x62 : 0x61;
    for (const bytes of [edited, sealed.subarray(0, newline), sealed.subarray(newline + 1), sealed.subarray(0, 10), Buffer.alloc(0)]) {
      await writeFile(file, bytes);
      expect(await readSealed(file, 'label', auth)).toBeNull();
    }
  });

  it('a payload written in parts (more than one writev takes) is the file the joined payload gives', async () => {
    const bytes = Buffer.from(payload.repeat(100), 'utf8');
    const parts: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 3) parts.push(bytes.subarray(at, at + 3));
    expect(parts.length).toBeGreaterThan(2048);
    const inParts = join(dir, 'parts.json');
    const whole = join(dir, 'whole.json');
    await writeSealed(inParts, 'label', parts, auth);
    await writeSealed(whole, 'label', bytes, auth);
    expect((await readFile(inParts)).equals(await readFile(whole))).toBe(true);
    expect(await readSealed(inParts, 'label', auth)).toBe(bytes.toString('utf8'));
  });

  it('sealing bytes gives the same file as sealing the text', () => {
    expect(auth.sealBytes('label', Buffer.from(payload, 'utf8')).toString('utf8')).toBe(auth.seal('label', payload));
  });
});
