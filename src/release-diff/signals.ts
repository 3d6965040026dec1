import { excerptAt, lineIndex } from './excerpt.js';
import type { CodeSignal, RunsAt, SignalKind } from './model.js';
import { normaliseStatement, siteOf, statementAround } from './normalise.js';

interface Detector {
  kind: SignalKind;
  pattern: RegExp;
  /** The fingerprint of one match; null drops it. */
  key(match: RegExpExecArray, text: string): string | null;
}

const MAX_MATCHES_PER_DETECTOR = 400;
const NOT_NETWORK_HOST = /^(?:localhost|0\.0\.0\.0|127\.\d+\.\d+\.\d+|\[::1?\]|255\.255\.255\.255)$|(?:^|\.)(?:example\.(?:com|org|net)|w3\.org|localhost)$|[^a-z0-9.-]/;
const PRIVATE_IP = /^(?:10|127|0)\.|^192\.168\.|^172\.(?:1[6-9]|2\d|3[01])\.|^169\.254\.(?!169\.254)/;
const DECODING = /\batob\s*\(|\bBuffer\.from\s*\(|\bString\.fromCharCode\s*\(|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\bunescape\s*\(|\bdecodeURIComponent\s*\(/;
/** `Function('return this')` finds the global object; `Function('id', 'return import(id)')` hides a dynamic import from bundlers. */
const IDIOMS = /^(?:new\s+)?Function\s*\(\s*(?:["'`][\w$]+["'`]\s*,\s*)?["'`]return (?:this|import\(\s*[\w$]+\s*\));?["'`]\s*\)/;
const NETWORK_HOOK_NAMES: Array<[RegExp, string]> = [
  [/XMLHttpRequest/, 'xhr'],
  [/fetch/, 'fetch'],
];

const DETECTORS: Detector[] = [
  {
    kind: 'endpoint',
    pattern: /["'`](?:https?|wss?):\/\/(?:[^"'`\s/@]*@)?([^"'`\s/:?#\\]{3,253})/g,
    key: (match) => endpointKey(match[1] ?? ''),
  },
  {
    kind: 'endpoint',
    pattern: /\bhost(?:name)?\s*:\s*["'`]([a-z0-9.-]+\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})["'`]/gi,
    key: (match) => endpointKey(match[1] ?? ''),
  },
  {
    kind: 'endpoint',
    pattern: /["'`](\d{1,3}(?:\.\d{1,3}){3})(?::\d{2,5}["'`/]|\/)/g,
    key: (match) => endpointKey(match[1] ?? ''),
  },
  {
    kind: 'network-send',
    pattern: /\bfetch\s*\(|\bnew\s+XMLHttpRequest\b|\bhttps?\.(?:request|get)\s*\(|\bnew\s+WebSocket\s*\(|\bsendBeacon\s*\(|\baxios\.(?:post|put|request)\s*\(|\bdns\.(?:resolve\w*|lookup)\s*\(|\bnet\.(?:connect|createConnection)\s*\(/g,
    key: (match) => `network-send:${match[0].replace(/[\s(]/g, '').replace(/^new/, '')}`,
  },
  {
    kind: 'network-hook',
    pattern: /\b(?:window|globalThis|self|global)\.(?:fetch|XMLHttpRequest)\s*=(?!=)|\bXMLHttpRequest\.prototype\.(?:open|send|setRequestHeader)\s*=(?!=)/g,
    key: (match) => `network-hook:${NETWORK_HOOK_NAMES.find(([pattern]) => pattern.test(match[0]))?.[1] ?? 'other'}`,
  },
  {
    kind: 'env-enumeration',
    pattern: /\bObject\.(?:keys|entries|values)\(\s*process\.env\s*\)(?!\s*\.filter\()|\bJSON\.stringify\(\s*process(?:\.env|\[\s*["'`]env["'`]\s*\])|\bfor\s*\(\s*(?:const|let|var)?\s*[\w$]+\s+in\s+process\.env\b/g,
    key: () => 'env-enumeration',
  },
  {
    kind: 'credential-path',
    pattern: /["'`][^"'`\n]{0,80}?(\.ssh\b|id_rsa|id_ed25519|\.npmrc|\.aws[/\\]|\.kube[/\\]config|\.docker[/\\]config\.json|\.git-credentials|\/etc\/passwd|\/etc\/shadow|Login Data|Local Storage[/\\]leveldb|wallet\.dat|\.config[/\\]solana|nkbihfbeogaeaoehlefnkodbefgpgknn|\.bash_history|169\.254\.169\.254)/g,
    key: (match) => `credential-path:${(match[1] ?? '').toLowerCase().replace(/\\/g, '/')}`,
  },
  {
    kind: 'wallet',
    pattern: /\bwindow\.(?:ethereum|solana|phantom)\b|\bethereum\.request\s*\(|["'`]eth_(?:sendTransaction|requestAccounts|accounts|signTypedData\w*|sign)["'`]|\bsolana\.sign(?:All)?Transactions?\s*\(|\bsignAndSendTransaction\b/g,
    key: (match) => `wallet:${match[0].replace(/["'`(\s]/g, '').replace(/^window\./, '')}`,
  },
  {
    kind: 'secret-key',
    pattern: /\b(?:secretKey|privateKey|private_key|secret_key|privKey|mnemonic|seedPhrase|seed_phrase)\b/g,
    key: (match, text) => `secret-key:${normaliseStatement(statementAround(text, match.index))}`,
  },
  {
    kind: 'child-process',
    pattern: /\brequire\(\s*["'`](?:node:)?child_process["'`]\s*\)|\bfrom\s*["'`](?:node:)?child_process["'`]|\bimport\(\s*["'`](?:node:)?child_process["'`]\s*\)|\bprocess\.binding\(\s*["'`](?:spawn_sync|process_wrap)["'`]/g,
    key: () => 'child-process',
  },
  {
    kind: 'child-process',
    pattern: /\bdetached\s*:\s*(?:true|!0)[^;]{0,200}?\.unref\(\)/g,
    key: () => 'child-process:detached',
  },
  {
    kind: 'child-process',
    pattern: /["'`][^"'`\n]*?(?:\b(?:curl|wget)\b[^"'`\n]*\|\s*(?:ba|z)?sh\b|powershell[^"'`\n]*\s-e(?:nc|ncodedcommand)?\s|\bLD_PRELOAD=|\brundll32\b|Invoke-WebRequest|certutil[^"'`\n]*-urlcache)/gi,
    key: () => 'child-process:download-and-run',
  },
  {
    kind: 'dynamic-code',
    pattern: /(?<![\w$.])eval\s*\(|\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*["'`a-zA-Z_$]/g,
    key: (match, text) => {
      const after = text.slice(match.index, match.index + 160);
      if (IDIOMS.test(after)) return null;
      const before = text.slice(Math.max(0, match.index - 300), match.index);
      const decoded = DECODING.test(after.slice(match[0].length)) || /\bBuffer\.from\s*\([^)]*["'`](?:base64|hex)["'`]|\bBuffer\.from\s*\([^()]*,[^()]*\)\s*\.toString\s*\(|\batob\s*\(|\bString\.fromCharCode\s*\(/.test(before);
      return decoded ? 'dynamic-code:decoded' : 'dynamic-code';
    },
  },
  {
    kind: 'obfuscation',
    pattern: /\[\s*["'`](?:push)["'`]\s*\]\s*\(\s*[\w$]+\s*\[\s*["'`]shift["'`]\s*\]\s*\(\s*\)\s*\)|\bwhile\s*\(\s*!!\[\]\s*\)/g,
    key: () => 'obfuscation:string-array',
  },
  {
    kind: 'obfuscation',
    pattern: /["'`]((?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}){8,})/g,
    key: (match) => (mostlyAscii(match[1] ?? '') ? 'obfuscation:escaped-strings' : null),
  },
  {
    kind: 'obfuscation',
    pattern: /\b(?:String\.fromCharCode|Buffer\.from)\(\s*\[?\s*(?:0x[0-9a-fA-F]+|\d{2,3})(?:\s*,\s*(?:0x[0-9a-fA-F]+|\d{2,3})){9,}/g,
    key: () => 'obfuscation:char-codes',
  },
  {
    kind: 'obfuscation',
    // a member access, not an array literal after a keyword (`return [atob(x)]`); the look-behinds follow the `[` they
    // check, so the engine only tries them at a `[` (placed before it, at every position: 17x slower on a bundle)
    pattern: /\[(?<=[\w$\])]\s*\[)(?<!(?<![\w$.])(?:return|typeof|void|delete|throw|case|in|of|yield|await|else|do|instanceof)\s*\[)\s*(?:(["'`])[\w$]*\1\s*\+\s*(["'`])[\w$]*\2\s*\]\s*\(|(?:Buffer\.from|String\.fromCharCode|atob)\s*\()|\bReflect\.get\(\s*[\w$.]+\s*,\s*["'`](?:spawn|exec\w*|eval|request)["'`]|\bObject\.getOwnPropertyDescriptor\(\s*[\w$.]+\s*,\s*["'`](?:spawn|exec\w*)["'`]/g,
    key: () => 'obfuscation:computed-api',
  },
  {
    kind: 'obfuscation',
    pattern: /\S[ \t]{150,}\S/g,
    key: () => 'obfuscation:hidden-code',
  },
];

/** What the detectors look for, as text: part of the release-diff cache's key, so that a cached comparison never outlives a change of pattern. */
export const DETECTOR_PATTERNS: readonly string[] = DETECTORS.map((detector) => `${detector.kind} /${detector.pattern.source}/${detector.pattern.flags}`);

/** Every signal in one file. `runsAt` says when the file runs (install script, entry point, or code it bundles). */
export function scanFile(file: string, text: string, runsAt: RunsAt): CodeSignal[] {
  const minified = /\.min\.[cm]?js$/.test(file);
  const lineOf = lineIndex(text);
  const signals: CodeSignal[] = [];
  const add = (kind: SignalKind, key: string, offset: number) => signals.push({ kind, key, file, line: lineOf(offset), excerpt: excerptAt(text, offset), runsAt });
  for (const detector of DETECTORS) {
    detector.pattern.lastIndex = 0;
    let count = 0;
    for (let match = detector.pattern.exec(text); match && count < MAX_MATCHES_PER_DETECTOR; match = detector.pattern.exec(text), count++) {
      const key = detector.key(match, text);
      if (key) add(detector.kind, key, match.index);
    }
  }
  const hexNames = hexIdentifiers(text);
  if (hexNames) add('obfuscation', 'obfuscation:hex-identifiers', hexNames);
  const longLine = minified ? null : longLineInSource(text);
  if (longLine !== null) add('obfuscation', 'obfuscation:long-line', longLine);
  const addresses = walletAddressList(text);
  if (addresses !== null) add('wallet', 'wallet:address-list', addresses);
  return signals;
}

function endpointKey(host: string): string | null {
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (!lower.includes('.') || NOT_NETWORK_HOST.test(lower) || PRIVATE_IP.test(lower)) return null;
  if (/^\d+(?:\.\d+){3}$/.test(lower) && lower.split('.').some((part) => Number(part) > 255)) return null;
  return `endpoint:${siteOf(lower)}`;
}

function mostlyAscii(escaped: string): boolean {
  const codes = [...escaped.matchAll(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))/g)].map((match) => parseInt(match[1] ?? match[2] ?? '0', 16));
  return codes.filter((code) => code >= 0x20 && code < 0x7f).length >= codes.length * 0.9;
}

/** javascript-obfuscator names everything `_0x1a2b3c`; a handful of distinct names is its mark. Returns the offset of the first. */
function hexIdentifiers(text: string): number | null {
  const pattern = /\b_0x[0-9a-fA-F]{4,}\b/g;
  const names = new Set<string>();
  let first: number | null = null;
  for (let match = pattern.exec(text); match && names.size < 5; match = pattern.exec(text)) {
    first ??= match.index;
    names.add(match[0]);
  }
  return names.size >= 5 ? first : null;
}

/**
 * A very long line of code in a file otherwise written by hand: what the September 2025 drainer
 * looked like appended to an entry file. Minified files (long lines throughout) and embedded
 * data (long strings, source maps) are not it.
 */
function longLineInSource(text: string): number | null {
  const lines = text.split('\n');
  const code = lines.filter((line) => !/^\s*(?:$|\/\/|\/\*|\*)/.test(line));
  if (code.length < 20) return null;
  const lengths = code.map((line) => line.length).sort((a, b) => a - b);
  if ((lengths[Math.floor(lengths.length * 0.9)] ?? 0) > 160) return null;
  let offset = 0;
  for (const line of lines) {
    if (line.length > 3000 && !line.startsWith('//# sourceMappingURL') && (line.match(/[();]/g)?.length ?? 0) > 100) return offset;
    offset += line.length + 1;
  }
  return null;
}

/** Three or more hard-coded wallet addresses in one file: a list to swap a victim's recipient for. */
function walletAddressList(text: string): number | null {
  const pattern = /["'`](?:0x[a-fA-F0-9]{40}|bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})["'`]/g;
  const found = new Set<string>();
  let first: number | null = null;
  for (let match = pattern.exec(text); match && found.size < 3; match = pattern.exec(text)) {
    first ??= match.index;
    found.add(match[0]);
  }
  return found.size >= 3 ? first : null;
}
