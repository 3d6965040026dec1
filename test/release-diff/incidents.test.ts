import { describe, expect, it } from 'vitest';
import { MAX_EXCERPT } from '../../src/release-diff/excerpt.js';
import { chainClient, colourLibrary, loggerLibrary, playerBundle, smallUtility } from './fixtures/clean-packages.js';
import { ADD_TO_QUEUE_CALL, ADD_TO_QUEUE_FUNCTION, appendedDrainerLine, GUARDDOG_PATTERNS, WALLET_CONNECT_DRAINER } from './fixtures/look-alikes.js';
import { diffOfReleases } from './helpers.js';

describe('replays of the four incidents (look-alike payloads) are flagged high', () => {
  it('chalk 5.6.1: an obfuscated drainer line appended to the entry file', async () => {
    const clean = colourLibrary('5.6.0');
    const hijacked = colourLibrary('5.6.1');
    hijacked['source/index.js'] += appendedDrainerLine('hex-names');
    const diff = await diffOfReleases('tint-colours', { version: '5.6.0', files: clean }, { version: '5.6.1', files: hijacked });
    expect(diff.severity).toBe('high');
    expect(diff.reasons[0]).toMatch(/^obfuscated code \(.*hex-identifiers/);
    const keys = diff.added.map((signal) => signal.key);
    expect(keys).toEqual(expect.arrayContaining(['obfuscation:long-line', 'obfuscation:string-array', 'network-hook:fetch', 'network-hook:xhr', 'wallet:ethereum', 'wallet:address-list']));
    const line = diff.added.find((signal) => signal.key === 'obfuscation:long-line');
    expect(line).toMatchObject({ file: 'source/index.js', line: clean['source/index.js']?.split('\n').length, runsAt: 'import' });
    expect(line?.excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT + 2);
  });

  it('debug 4.4.2: the same drainer with escaped strings, appended to the browser entry', async () => {
    const clean = loggerLibrary('4.4.1');
    const hijacked = loggerLibrary('4.4.2');
    hijacked['src/browser.js'] += appendedDrainerLine('escaped-strings');
    const diff = await diffOfReleases('trace-log', { version: '4.4.1', files: clean }, { version: '4.4.2', files: hijacked });
    expect(diff.severity).toBe('high');
    expect(diff.added.map((signal) => signal.key)).toEqual(expect.arrayContaining(['obfuscation:escaped-strings', 'obfuscation:long-line', 'wallet:ethereum']));
    expect(diff.added.find((signal) => signal.key === 'wallet:ethereum')).toMatchObject({ file: 'src/browser.js', runsAt: 'import' });
    // debug always enumerated DEBUG_* variables: not new, not reported
    expect(diff.added.some((signal) => signal.kind === 'env-enumeration')).toBe(false);
  });

  it('@solana/web3.js 1.95.6: addToQueue posts secret keys to a hard-coded host', async () => {
    const clean = chainClient('1.95.5');
    const hijacked = chainClient('1.95.6', { beforeKeypair: ADD_TO_QUEUE_FUNCTION, inFromSecretKey: ADD_TO_QUEUE_CALL });
    const diff = await diffOfReleases('@chain-lookalike/web3', { version: '1.95.5', files: clean }, { version: '1.95.6', files: hijacked });
    expect(diff.severity).toBe('high');
    expect(diff.reasons[0]).toMatch(/^reads secret keys next to a new network destination/);
    const hostLine = hijacked['lib/index.cjs.js']?.split('\n').findIndex((line) => line.includes('https://sol-rpc.invalid')) ?? -1;
    expect(diff.added.find((signal) => signal.kind === 'endpoint')).toMatchObject({ key: 'endpoint:sol-rpc.invalid', file: 'lib/index.cjs.js', line: hostLine + 1 });
    expect(diff.added.find((signal) => signal.kind === 'secret-key')?.excerpt).toContain('addToQueue(buffer.Buffer.from(secretKey).toString("hex"))');
  });

  it('@lottiefiles/lottie-player 2.0.7: a wallet-connect drainer inside the minified bundle', async () => {
    const diff = await diffOfReleases('@player-lookalike/lottie-player', { version: '2.0.6', files: playerBundle('2.0.6') }, { version: '2.0.7', files: playerBundle('2.0.7', WALLET_CONNECT_DRAINER) });
    expect(diff.severity).toBe('high');
    expect(diff.reasons[0]).toMatch(/^reads .*ethereum.*next to a new network destination/);
    expect(diff.added.map((signal) => signal.key)).toEqual(expect.arrayContaining(['endpoint:drainer-lookalike.invalid', 'wallet:eth_sendTransaction']));
    // the bundle is minified throughout: its long lines are not news
    expect(diff.added.some((signal) => signal.key === 'obfuscation:long-line')).toBe(false);
  });
});

describe("patterns of GuardDog's npm rules, each added by a release of a clean utility", () => {
  for (const [name, pattern] of Object.entries(GUARDDOG_PATTERNS)) {
    it(`${name}: ${pattern.expected}`, async () => {
      const diff = await diffOfReleases('pad-helpers', { version: '1.0.0', files: smallUtility('1.0.0') }, { version: '1.0.1', files: smallUtility('1.0.1', pattern.files, pattern.fields) });
      expect(diff.severity, JSON.stringify(diff.added.map((signal) => signal.key))).toBe(pattern.expected);
      for (const signal of diff.added) expect(signal.line).toBeGreaterThan(0);
    });
  }
});
