import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditError } from '../../src/model/errors.js';
import { embeddedTufTarget, loadTrustRoot } from '../../src/provenance/trust-root.js';

describe('loadTrustRoot', () => {
  it('offline: the public-good root embedded in @sigstore/tuf, with a notice', async () => {
    const root = await loadTrustRoot({ offline: true, tufCachePath: '/nonexistent' });
    expect(root.source).toBe('embedded');
    expect(root.notices.join()).toMatch(/embedded in @sigstore\/tuf \(offline/);
    expect((root.trustedRoot as { certificateAuthorities: unknown[] }).certificateAuthorities.length).toBeGreaterThan(0);
    expect(root.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a failed TUF refresh falls back to the embedded root with a notice, never a failure', async () => {
    const root = await loadTrustRoot({ offline: false, tufCachePath: '/tmp/x', refresh: () => Promise.reject(new Error('getaddrinfo ENOTFOUND')) });
    expect(root.source).toBe('embedded');
    expect(root.notices.join()).toMatch(/TUF refresh failed \(getaddrinfo ENOTFOUND\)/);
  });

  it('a refreshed root is used as is, in npm\'s TUF cache', async () => {
    const fresh = { mediaType: 'x', certificateAuthorities: [], tlogs: [], ctlogs: [], timestampAuthorities: [] };
    let asked = '';
    const root = await loadTrustRoot({ offline: false, tufCachePath: '/npm-cache/_tuf', refresh: (path) => ((asked = path), Promise.resolve(fresh)) });
    expect(asked).toBe('/npm-cache/_tuf');
    expect(root).toMatchObject({ source: 'tuf', trustedRoot: fresh, notices: [] });
  });

  it('--trusted-root: a file wins; unreadable or malformed files are one-line AuditErrors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aca-trust-'));
    const good = join(dir, 'root.json');
    await writeFile(good, JSON.stringify({ certificateAuthorities: [], tlogs: [] }));
    expect(await loadTrustRoot({ file: good, offline: false, tufCachePath: null, refresh: () => Promise.reject(new Error('must not refresh')) })).toMatchObject({ source: 'file' });
    await writeFile(join(dir, 'bad.json'), '{not json');
    await expect(loadTrustRoot({ file: join(dir, 'bad.json'), offline: true, tufCachePath: null })).rejects.toBeInstanceOf(AuditError);
    await expect(loadTrustRoot({ file: join(dir, 'missing.json'), offline: true, tufCachePath: null })).rejects.toThrow(/Cannot read the trusted root/);
  });

  it('embedded TUF targets are readable by name; unknown names are null', () => {
    expect(JSON.parse(embeddedTufTarget('trusted_root.json') ?? '{}')).toHaveProperty('tlogs');
    expect(embeddedTufTarget('no-such-target.json')).toBeNull();
  });
});
