import { redactUrlsIn } from '../util/redact-url.js';

/**
 * The one place where untrusted text (anything a lockfile, manifest, registry, repository file or
 * cache said) becomes output: one function per sink. Every function also redacts credentials
 * from URLs, so a token that slipped into a message is not printed either.
 */

// C0 (tab and newline included: an untrusted line break could start a forged line), DEL, C1,
// the Unicode line and paragraph separators, and the bidirectional controls of "Trojan Source".
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `\x1b`, `\n`, `\u202e`: the control character spelled out, so it shows and does nothing. */
function visible(char: string): string {
  const code = char.charCodeAt(0);
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
  }
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text for a terminal, a CI log or stderr: control characters (ANSI escapes, CR, LF) made visible,
 * and a leading `::` broken, because the GitHub runner reads any log line that starts with `::`
 * (after blanks) as a workflow command (`::error::`, `::add-mask::`, `::stop-commands::`).
 */
export function forTerminal(text: string): string {
  const flat = redactUrlsIn(text).replace(CONTROL, visible);
  return flat.replace(/^(\s*):(?=:)/, '$1\\x3a');
}

/**
 * A whole rendered text (our own lines joined by newlines) made safe for a CI log: no line may
 * start a workflow command. Untrusted parts already went through `forTerminal`; this is the
 * second fence for text we did not think of.
 */
export function guardLines(text: string): string {
  return text.replace(/^(\s*):(?=:)/gm, '$1\\x3a');
}

/** One stderr line: untrusted parts spelled out, exactly one trailing newline. */
export function stderrLine(text: string): string {
  return `${forTerminal(text)}\n`;
}

// characters that start Markdown or GFM syntax inline: emphasis, links, images, code, headings,
// tables, strikethrough, math, HTML, lists, block quotes and entities
const MARKDOWN_SPECIAL = /[\\`*_{}[\]#!|~<>&$:.@]/g;

/**
 * Untrusted text inline in Markdown (a table cell, a list item, a heading): HTML and Markdown
 * syntax escaped, links, images and autolinks defused, `@mentions` and `#123` references broken
 * with a zero-width space (GitHub would otherwise notify people and link issues from a PR
 * comment), line breaks and other control characters spelled out, table pipes escaped.
 */
export function forMarkdown(text: string): string {
  const flat = redactUrlsIn(text).replace(CONTROL, visible);
  return flat.replace(MARKDOWN_SPECIAL, (char, offset: number, whole: string) => {
    switch (char) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '@':
        return '@&#8203;';
      case '#':
        return '\\#&#8203;';
      case ':':
        // `https://x` and `mailto:x` autolink in GFM even without brackets
        return whole.startsWith('//', offset + 1) ? ':&#8203;' : ':';
      case '.':
        // `www.example.com` autolinks too
        return /www$/i.test(whole.slice(Math.max(0, offset - 3), offset)) ? '&#8203;.' : '.';
    }
    return `\\${char}`;
  });
}

/**
 * Untrusted text as a Markdown code span: a fence longer than any backtick run in it, blanks
 * inside the fence when it starts or ends with a backtick, control characters spelled out, and
 * pipes escaped (GFM splits table cells on `|` even inside code spans).
 */
export function markdownCode(text: string): string {
  const flat = redactUrlsIn(text).replace(CONTROL, visible).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

// every control character but the line breaks, which workflow commands encode themselves
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The data of a GitHub Actions workflow command (`::error file=…::data`, an annotation): the
 * runner's own escapes for `%`, CR and LF (a line break stays inside the annotation), and every
 * other control character spelled out, since the runner also echoes the command into the log.
 */
export function forWorkflowData(text: string): string {
  return redactUrlsIn(text).replace(CONTROL_BUT_LINE_BREAKS, visible).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command (`file=`, `title=`): its data escapes, plus `:` and `,`. */
export function forWorkflowProperty(text: string): string {
  return forWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// characters some terminals act on even when they reach them inside a JSON string as UTF-8:
// DEL, the C1 controls (U+009B is a CSI), line separators and the bidirectional controls
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON document (the JSON report, SARIF) whose bytes are safe to print: JSON.stringify already
 * escapes C0 controls and quotes; the rest of the control characters are written as `\uXXXX`
 * escapes, which parse back to exactly the same strings. Credentials in URLs are redacted.
 */
export function forJson(value: unknown, indent = 2): string {
  const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? redactUrlsIn(item) : item), indent);
  return text.replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
