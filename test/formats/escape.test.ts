import { describe, expect, it } from 'vitest';
import { forJson, forMarkdown, forTerminal, forWorkflowData, forWorkflowProperty, guardLines, markdownCode, stderrLine } from '../../src/formats/escape.js';

describe('forTerminal', () => {
  it('spells out C0, DEL, C1 and bidi controls so none reaches the terminal', () => {
    const out = forTerminal('a\u001b[31mred\u0007\r\nb\tc\u007f\u009b2J\u0085\u202egnp.exe\u2028');
    expect(out).toBe('a\\x1b[31mred\\x07\\r\\nb\\tc\\x7f\\x9b2J\\x85\\u202egnp.exe\\u2028');
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
  });

  it('never lets untrusted text start a GitHub workflow command, even after blanks', () => {
    expect(forTerminal('::error::forged')).toBe('\\x3a:error::forged');
    expect(forTerminal('  ::add-mask::x')).toBe('  \\x3a:add-mask::x');
    expect(forTerminal('x\n::stop-commands::t')).toBe('x\\n::stop-commands::t');
    expect(forTerminal('a::b')).toBe('a::b');
  });

  it('redacts credentials in URLs', () => {
    expect(forTerminal('GET https://u:secret@reg.test/x?token=abc&b=1 failed')).toBe('GET https://***@reg.test/x?token=***&b=1 failed');
  });

  it('guards whole outputs and stderr lines', () => {
    expect(guardLines('ok\n   ::warning::x\n::notice::y\n')).toBe('ok\n   \\x3a:warning::x\n\\x3a:notice::y\n');
    expect(stderrLine('ai-chain-audit: bad \u001b]8;;x\u0007name\n::error::x')).toBe('ai-chain-audit: bad \\x1b]8;;x\\x07name\\n::error::x\n');
  });
});

describe('forMarkdown', () => {
  it('escapes HTML and defuses links, images, autolinks, mentions and issue references', () => {
    const out = forMarkdown('<img src=x onerror=alert(1)> [click](https://evil.test/x) ![i](http://evil.test/i.png) <https://a.test> www.evil.test @octocat #12 a|b *em* `c` $x$ ~~s~~');
    expect(out).not.toMatch(/<[a-z]/i);
    expect(out).not.toMatch(/(?<!\\)\[/);
    expect(out).not.toMatch(/https?:\/\//);
    expect(out).not.toMatch(/www\./);
    expect(out).not.toMatch(/@octocat/);
    expect(out).not.toMatch(/#12/);
    expect(out).not.toMatch(/(?<!\\)[|*`$~]/);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('@&#8203;octocat');
  });

  it('keeps the text on one line', () => {
    expect(forMarkdown('a\n# heading\r\n- item')).toBe('a\\\\n\\#&#8203; heading\\\\r\\\\n- item');
  });
});

describe('markdownCode', () => {
  it('uses a fence longer than any backtick run, so the span cannot be closed early', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('x```<img>')).toBe('````x```<img>````');
    expect(markdownCode('`start')).toBe('`` `start ``');
    expect(markdownCode('a|b\nc')).toBe('`a\\|b\\nc`');
  });
});

describe('forJson', () => {
  it('parses back to the same strings while the bytes hold no C1 or bidi control', () => {
    const value = { message: 'x\u009b31m\u202e\u2028\u001b', list: ['\u0085'] };
    const text = forJson(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u202e\u2028\u001b]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('redacts credentials in every string', () => {
    expect(JSON.parse(forJson({ url: 'https://user:pw@reg.test/a?access_token=t' }))).toEqual({ url: 'https://***@reg.test/a?access_token=***' });
  });
});

describe('forWorkflowData / forWorkflowProperty', () => {
  it("keeps a line break inside the annotation and spells out every other control character", () => {
    const hostile = 'a\x1b[2Jb\r\n::error::FORGED 100% \x9b31m\u202e';
    const data = forWorkflowData(hostile);
    expect(data).toBe('a\\x1b[2Jb%0D%0A::error::FORGED 100%25 \\x9b31m\\u202e');
    expect(data).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(forWorkflowProperty('pkg, title: x\n')).toBe('pkg%2C title%3A x%0A');
  });
});
