import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback OCI distribution registry: tags → image index → platform manifest → config blob, behind an anonymous bearer-token flow. */
export interface OciRegistry {
  /** `127.0.0.1:PORT`, the registry host as an image reference names it. */
  host: string;
  requests: Array<{ path: string; authorization: string | undefined; status: number }>;
  close(): Promise<void>;
}

export interface OciImageSpec {
  repository: string;
  tag: string;
  created: string;
  /** Serve a single-platform manifest instead of an index. */
  single?: boolean;
}

const sha256 = (data: string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export async function startOciRegistry(images: OciImageSpec[]): Promise<OciRegistry & { digestOf(repository: string, tag: string): string }> {
  const blobs = new Map<string, { type: string; body: string }>();
  const tags = new Map<string, string>();
  for (const image of images) {
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', created: image.created, config: {} });
    blobs.set(`${image.repository}@${sha256(config)}`, { type: 'application/octet-stream', body: config });
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length }, layers: [] });
    blobs.set(`${image.repository}@${sha256(manifest)}`, { type: 'application/vnd.oci.image.manifest.v1+json', body: manifest });
    let top = manifest;
    if (!image.single) {
      top = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length, platform: { architecture: 'amd64', os: 'linux' } },
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256('attestation'), size: 11, platform: { architecture: 'unknown', os: 'unknown' } },
        ],
      });
      blobs.set(`${image.repository}@${sha256(top)}`, { type: 'application/vnd.oci.image.index.v1+json', body: top });
    }
    tags.set(`${image.repository}:${image.tag}`, sha256(top));
  }
  const requests: OciRegistry['requests'] = [];
  let origin = '';
  const token = 'anonymous-pull-token';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const record = { path: url.pathname + url.search, authorization: req.headers.authorization, status: 0 };
    requests.push(record);
    const reply = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    if (url.pathname === '/token') return reply(200, 'application/json', JSON.stringify({ token }));
    if (req.headers.authorization !== `Bearer ${token}`) {
      return reply(401, 'application/json', '{"errors":[{"code":"UNAUTHORIZED"}]}', { 'www-authenticate': `Bearer realm="${origin}/token",service="test-registry",scope="repository:pull"` });
    }
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!match) return reply(404, 'application/json', '{}');
    const [, repository = '', kind, reference = ''] = match;
    const digest = kind === 'manifests' && !reference.startsWith('sha256:') ? tags.get(`${repository}:${reference}`) : reference;
    const blob = digest ? blobs.get(`${repository}@${digest}`) : undefined;
    if (!blob || !digest) return reply(404, 'application/json', '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    return reply(200, blob.type, blob.body, kind === 'manifests' ? { 'docker-content-digest': digest } : {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  origin = `http://${host}`;
  return {
    host,
    requests,
    digestOf: (repository, tag) => tags.get(`${repository}:${tag}`) ?? '',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
