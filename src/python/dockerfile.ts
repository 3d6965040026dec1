import type { PythonFileProblem, PythonRequirement } from './model.js';
import { parseRequirement } from './requirement.js';

export interface ParsedDockerfile {
  requirements: PythonRequirement[];
  /** `ENV PIP_INDEX_URL=…` and friends: the index configuration the image build uses. */
  env: Record<string, string>;
  /** `-i` / `--extra-index-url` given on a `pip install` line. */
  indexUrl: string | null;
  extraIndexUrls: string[];
  problems: PythonFileProblem[];
}

const PIP_INSTALL = /\b(?:pip3?|uv\s+pip|python3?(?:\.\d+)?\s+-m\s+pip)\s+install\b/;
const VALUE_OPTIONS = new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--trusted-host', '-t', '--target', '--prefix', '--root', '--python', '-e', '--editable', '--platform', '--python-version', '--implementation', '--abi', '--progress-bar', '--cache-dir', '--src']);
const INDEX_ENV = new Set(['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'UV_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX', 'UV_EXTRA_INDEX_URL']);

/** `pip install` words of `RUN` lines (each at its own physical line) and index variables set by `ENV`. */
export function parseDockerfile(file: string, text: string): ParsedDockerfile {
  const result: ParsedDockerfile = { requirements: [], env: {}, indexUrl: null, extraIndexUrls: [], problems: [] };
  const lines = text.split(/\r?\n/);
  let inPip = false;
  let pending: string | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const body = raw.replace(/\\\s*$/, '');
    const continued = /\\\s*$/.test(raw);
    const env = /^\s*ENV\s+(.+)$/i.exec(body);
    if (env?.[1]) readEnv(env[1], result.env);
    let words = body.trim().split(/\s+/).filter(Boolean);
    const start = PIP_INSTALL.exec(body);
    if (start) {
      inPip = true;
      words = body.slice(start.index + start[0].length).trim().split(/\s+/).filter(Boolean);
    }
    if (inPip) {
      for (const word of words) {
        if (/^(&&|\|\||;|\||>)/.test(word)) {
          inPip = false;
          break;
        }
        if (pending) {
          if (pending === '-i' || pending === '--index-url') result.indexUrl = unquote(word);
          if (pending === '--extra-index-url') result.extraIndexUrls.push(unquote(word));
          pending = null;
          continue;
        }
        if (word.startsWith('-')) {
          const [option = '', inline] = word.split('=', 2);
          if (VALUE_OPTIONS.has(option) && inline === undefined) pending = option;
          else if ((option === '--index-url' || option === '-i') && inline) result.indexUrl = unquote(inline);
          else if (option === '--extra-index-url' && inline) result.extraIndexUrls.push(unquote(inline));
          continue;
        }
        const spec = unquote(word.replace(/[;]$/, ''));
        if (!spec || spec.includes('$') || /^(\.|\/|[a-z+]+:\/\/)/i.test(spec)) continue;
        const requirement = parseRequirement(spec);
        if (requirement) result.requirements.push({ ...requirement, hashes: [], file, line, source: 'dockerfile' });
        else result.problems.push({ file, line, message: `${file}:${line}: "${spec}" in a pip install line is not a requirement` });
      }
    }
    if (!continued) {
      inPip = false;
      pending = null;
    }
  });
  return result;
}

function readEnv(text: string, env: Record<string, string>): void {
  const pairs = text.includes('=') ? [...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)].map((match) => [match[1] ?? '', match[2] ?? ''] as const) : [[text.split(/\s+/)[0] ?? '', text.split(/\s+/).slice(1).join(' ')] as const];
  for (const [name, value] of pairs) if (INDEX_ENV.has(name)) env[name] = unquote(value);
}

function unquote(text: string): string {
  return text.replace(/^["']|["']$/g, '');
}

/**
 * The LiteLLM proxy server started by a command: `litellm --config …`, `litellm --port …`,
 * `python -m litellm.proxy…`, the proxy CLI module. A bare `import litellm` is the library.
 */
const PROXY_COMMAND = /(?:^|[\s"'[,(=])litellm["']?\s*,?\s*["']?(?:--config|--port|--host|--num_workers|--detailed_debug|-c\b)|litellm\.proxy|proxy_cli|litellm-proxy\b/;

export interface ProxyCommand {
  file: string;
  line: number;
  text: string;
}

/** Lines of a Dockerfile, compose file or Kubernetes manifest that start the LiteLLM proxy server. */
export function findProxyCommands(file: string, text: string): ProxyCommand[] {
  const found: ProxyCommand[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*#/.test(raw)) return;
    if (PROXY_COMMAND.test(raw) && !/\bimport\b/.test(raw)) found.push({ file, line: index + 1, text: raw.trim().slice(0, 160) });
  });
  return found;
}
