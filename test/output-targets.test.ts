import { describe, expect, it } from 'vitest';
import { outputTargets } from '../src/cli/output-targets.js';

describe('--output', () => {
  it.each([
    ['nothing: the format on stdout', 'text', [], [{ format: 'text', file: null }]],
    ['a bare file replaces stdout', 'json', ['audit.json'], [{ format: 'json', file: 'audit.json' }]],
    [
      'typed files keep stdout',
      'text',
      ['json=a.json', 'sarif=out/a.sarif'],
      [
        { format: 'text', file: null },
        { format: 'json', file: 'a.json' },
        { format: 'sarif', file: 'out/a.sarif' },
      ],
    ],
    [
      '- sends a typed output to stdout instead',
      'text',
      ['sarif=-', 'json=a.json'],
      [
        { format: 'sarif', file: null },
        { format: 'json', file: 'a.json' },
      ],
    ],
    ['a path with = that is not a format prefix is a file', 'text', ['out/x=1.txt'], [{ format: 'text', file: 'out/x=1.txt' }]],
  ] as const)('%s', (_name, format, specs, expected) => {
    expect(outputTargets(format, specs)).toEqual(expected);
  });

  it.each([
    ['an unknown format', ['html=a.html'], /^Unknown format "html" in --output html=a\.html/],
    ['a format without a file', ['json='], /^--output json= names no file\.$/],
    ['two outputs to stdout', ['json=-', 'sarif=-'], /^Only one output can go to stdout/],
    ['one file twice', ['json=a', 'sarif=a'], /^--output names a twice\.$/],
  ])('rejects %s', (_name, specs, message) => {
    expect(() => outputTargets('text', specs)).toThrow(message);
  });
});
