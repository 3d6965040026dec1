import type * as Yaml from 'yaml';
import type { Signal } from './types.js';
import { envSignals } from './env.js';
import { lazyRequire } from '../../util/lazy-require.js';

const yaml = lazyRequire<typeof Yaml>('yaml');

const ENV_NAME = /^[A-Z][A-Z0-9_]{2,}$/;

/**
 * Environment variables set by deployment files: docker-compose `environment`, Kubernetes
 * container `env` and ConfigMap `data`, Helm values. Like `.env` files, only names, hosts and
 * booleans leave this module, never a value.
 */
export function scanYamlEnv(file: string, text: string): Signal[] {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  let documents;
  try {
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  } catch {
    return [];
  }
  const signals: Signal[] = [];
  const emit = (name: string, value: unknown, offset: number | undefined) => {
    if (!ENV_NAME.test(name) || (typeof value !== 'string' && typeof value !== 'boolean')) return;
    signals.push(...envSignals(file, lineCounter.linePos(offset ?? 0).line, name, String(value)));
  };
  const visit = (node: unknown, parentKey: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (isScalar(pair.value)) emit(key, pair.value.value, pair.value.range?.[0]);
        else visit(pair.value, key);
      }
      // a Kubernetes `env:` entry: { name: X, value: Y }
      const name = node.get('name');
      const value = node.get('value', true);
      if (parentKey === 'env' && typeof name === 'string' && isScalar(value)) emit(name, value.value, value.range?.[0]);
    } else if (isSeq(node)) {
      for (const item of node.items) {
        // compose list form: `- OPENAI_BASE_URL=http://litellm:4000`
        if (isScalar(item) && typeof item.value === 'string' && parentKey === 'environment') {
          const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(item.value);
          if (match?.[1]) emit(match[1], match[2] ?? '', item.range?.[0]);
        } else {
          visit(item, parentKey);
        }
      }
    }
  };
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    if (document.errors.length === 0 && document.contents) visit(document.contents, '');
  }
  return signals;
}

/** `ENV NAME=value` and `ENV NAME value` lines of a Dockerfile. */
export function scanDockerfileEnv(file: string, text: string): Signal[] {
  const signals: Signal[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const env = /^\s*ENV\s+(.+)$/i.exec(raw);
    if (!env?.[1]) return;
    const body = env[1].trim();
    const pairs = body.includes('=') ? [...body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)].map((m) => [m[1] ?? '', m[2] ?? '']) : [body.split(/\s+/, 2) as [string, string]];
    for (const [name, value] of pairs) if (name && ENV_NAME.test(name)) signals.push(...envSignals(file, index + 1, name, (value ?? '').replace(/^['"]|['"]$/g, '')));
  });
  return signals;
}
