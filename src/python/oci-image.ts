import { createHash } from 'node:crypto';
import { errorMessage } from '../model/errors.js';
import { BodyTooLargeError, httpGet, type HttpAnswer, type RetryPolicy } from '../registry/transport/http-get.js';
import { redactUrl } from './redact.js';

/** A container image as written: repository (with registry host), tag and/or digest. */
export interface ImageReference {
  raw: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

export type ImageResolution =
  | { status: 'resolved'; registry: string; digest: string; created: string | null; platform: string | null }
  | { status: 'unreachable' | 'not-found' | 'denied' | 'error' | 'skipped'; registry: string; message: string };

export interface OciOptions {
  timeoutMs?: number;
  retry?: RetryPolicy;
  maxBytes?: number;
  agent?: unknown;
  signal?: AbortSignal;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const INDEX_TYPES = new Set([MANIFEST_TYPES[0], MANIFEST_TYPES[2]]);
const DEFAULT_RETRY: RetryPolicy = { retries: 2, factor: 10, minTimeout: 1000, maxTimeout: 10_000 };

/**
 * Where an image lives: the first path component is a registry host when it has a dot or a port
 * or is `localhost`; otherwise Docker Hub, whose API host and `library/` namespace Docker documents.
 * Loopback registries are spoken to over http, as Docker does by default.
 */
export function registryOf(repository: string): { base: string; host: string; path: string } {
  const [first = '', ...rest] = repository.split('/');
  const isHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!isHost) {
    const path = rest.length === 0 ? `library/${first}` : repository;
    return { base: 'https://registry-1.docker.io', host: 'docker.io', path };
  }
  const hostname = first.replace(/:\d+$/, '');
  const loopback = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '[::1]';
  return { base: `${loopback ? 'http' : 'https'}://${first}`, host: first, path: rest.join('/') };
}

/**
 * Resolves a tag to its manifest digest and the image's creation time through the OCI distribution
 * API: manifest GET (anonymous bearer token when the registry asks for one), the platform manifest
 * of an index (linux/amd64 first), and the config blob's `created`. Failures are data, never a pass.
 */
export async function resolveImage(image: ImageReference, options: OciOptions = {}): Promise<ImageResolution> {
  const { base, host, path } = registryOf(image.repository);
  const reference = image.digest ?? image.tag ?? 'latest';
  const session = new RegistrySession(base, path, options);
  try {
    let manifest = await session.get(`manifests/${reference}`, MANIFEST_TYPES.join(', '));
    if (manifest.status === 404) return { status: 'not-found', registry: host, message: `${image.repository}:${reference} does not exist on ${host}` };
    if (manifest.status === 401 || manifest.status === 403) return { status: 'denied', registry: host, message: `${host} refuses anonymous pulls of ${image.repository} (${manifest.status})` };
    if (manifest.status !== 200) return { status: 'error', registry: host, message: `${redactUrl(manifest.url)} answered ${manifest.status}` };
    const digest = manifest.header('docker-content-digest') ?? `sha256:${createHash('sha256').update(manifest.body).digest('hex')}`;
    let doc = parseJson(manifest.body);
    let platform: string | null = null;
    if (INDEX_TYPES.has(String(doc.mediaType ?? manifest.header('content-type')?.split(';')[0]))) {
      const entries = Array.isArray(doc.manifests) ? doc.manifests.map(asRecord) : [];
      const chosen = entries.find((entry) => asRecord(entry.platform).os === 'linux' && asRecord(entry.platform).architecture === 'amd64') ?? entries.find((entry) => asRecord(entry.platform).os !== 'unknown') ?? entries[0];
      if (!chosen || typeof chosen.digest !== 'string') return { status: 'error', registry: host, message: `the image index of ${image.raw} lists no manifest` };
      platform = `${String(asRecord(chosen.platform).os ?? '?')}/${String(asRecord(chosen.platform).architecture ?? '?')}`;
      manifest = await session.get(`manifests/${chosen.digest}`, MANIFEST_TYPES.join(', '));
      if (manifest.status !== 200) return { status: 'error', registry: host, message: `${redactUrl(manifest.url)} answered ${manifest.status}` };
      doc = parseJson(manifest.body);
    }
    const config = asRecord(doc.config);
    if (typeof config.digest !== 'string') return { status: 'resolved', registry: host, digest, created: null, platform };
    const blob = await session.get(`blobs/${config.digest}`, '*/*');
    if (blob.status !== 200) return { status: 'error', registry: host, message: `${redactUrl(blob.url)} answered ${blob.status}` };
    const actual = `sha256:${createHash('sha256').update(blob.body).digest('hex')}`;
    if (config.digest.startsWith('sha256:') && actual !== config.digest) return { status: 'error', registry: host, message: `the config blob of ${image.raw} does not match its digest ${config.digest}` };
    const created = parseJson(blob.body).created;
    return { status: 'resolved', registry: host, digest, created: typeof created === 'string' && !Number.isNaN(Date.parse(created)) ? created : null, platform };
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { status: 'error', registry: host, message: `${redactUrl(error.url)} is larger than ${error.maxBytes} bytes` };
    if (error instanceof SyntaxError) return { status: 'error', registry: host, message: `${host} served a manifest or config that is not JSON` };
    return { status: 'unreachable', registry: host, message: `cannot reach ${host}: ${errorMessage(error)}` };
  }
}

/** One repository on one registry, with the bearer token its auth flow hands out for pulls. */
class RegistrySession {
  private token: string | null = null;

  constructor(
    private readonly base: string,
    private readonly path: string,
    private readonly options: OciOptions,
  ) {}

  async get(suffix: string, accept: string): Promise<HttpAnswer> {
    const url = `${this.base}/v2/${this.path}/${suffix}`;
    let answer = await this.fetch(url, accept);
    if (answer.status === 401 && !this.token) {
      const challenge = parseChallenge(answer.header('www-authenticate'));
      if (challenge) {
        this.token = await this.fetchToken(challenge);
        if (this.token) answer = await this.fetch(url, accept);
      }
    }
    return answer;
  }

  private fetch(url: string, accept: string, authorized = true): Promise<HttpAnswer> {
    const headers: Record<string, string> = { accept, 'user-agent': 'ai-chain-audit' };
    if (authorized && this.token) headers.authorization = `Bearer ${this.token}`;
    return httpGet(url, {
      agent: this.options.agent,
      headers,
      timeoutMs: this.options.timeoutMs ?? 15_000,
      retry: this.options.retry ?? DEFAULT_RETRY,
      maxBytes: this.options.maxBytes ?? 4 * 1024 * 1024,
      signal: this.options.signal ?? new AbortController().signal,
    });
  }

  private async fetchToken(challenge: Record<string, string>): Promise<string | null> {
    if (!challenge.realm) return null;
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', challenge.scope ?? `repository:${this.path}:pull`);
    const answer = await this.fetch(url.href, 'application/json', false);
    if (answer.status !== 200) return null;
    const doc = parseJson(answer.body);
    const token = doc.token ?? doc.access_token;
    return typeof token === 'string' ? token : null;
  }
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:x:pull"` */
function parseChallenge(header: string | null): Record<string, string> | null {
  if (!header || !/^bearer\s/i.test(header)) return null;
  const params: Record<string, string> = {};
  for (const match of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[(match[1] ?? '').toLowerCase()] = match[2] ?? '';
  return params;
}

function parseJson(body: Buffer): Record<string, unknown> {
  return asRecord(JSON.parse(body.toString('utf8')));
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
