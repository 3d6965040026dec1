import { describe, expect, it } from 'vitest';
import { scanFile } from '../../src/release-diff/signals.js';

const computedApi = (code: string) => scanFile('lib/index.js', code, 'import').filter((signal) => signal.key === 'obfuscation:computed-api').map((signal) => signal.line);

describe('computed API names', () => {
  it('flags a member looked up by joined strings or decoded text after an expression, with space or a newline between', () => {
    expect(computedApi('cp["sp" + "awn"]("node");\n')).toEqual([1]);
    expect(computedApi('const x = 1;\nrequire("child_process")\n  [`ex` + "ecSync"] ("id");\n')).toEqual([3]);
    expect(computedApi('global [ Buffer.from([66, 117])];\n')).toEqual([1]);
    expect(computedApi('obj$[atob("ZXZhbA==")](code);\n')).toEqual([1]);
  });

  it('leaves array literals and plain indexing alone', () => {
    expect(computedApi('const parts = ["sp" + "awn"];\nfn(["a" + "b"]);\nreturn [atob(x)];\n')).toEqual([]);
    expect(computedApi('function* g() {\n  yield ["a" + "b"](1);\n}\nconst found = key in [Buffer.from(x)];\n')).toEqual([]);
    expect(computedApi('cp["spawn"]("node");\nmap[key + "x"](1);\n')).toEqual([]);
  });
});
