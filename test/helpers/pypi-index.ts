import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestPki, sha512Integrity, type BundleJson, type ProvenanceOptions, type TestPki } from './test-pki.js';

/** A loopback PEP 691 (JSON Simple API) index with PEP 700 upload times, PEP 592 yanks and PEP 740 provenance. */
export interface IndexFileSpec {
  filename: string;
  uploadTime?: string | null;
  /** true, or the yank reason. */
  yanked?: boolean | string;
  /** A provenance object served at `/provenance/<filename>`; `'404'` lists a URL that is not served. */
  provenance?: object | '404' | null;
  /** Defaults to the sha256 of `contentOf(filename)`. */
  sha256?: string;
}

export interface IndexProjectSpec {
  files: IndexFileSpec[];
  /** PEP 700 `versions`; derived from nothing when absent (omitted from the page). */
  versions?: string[];
}

export interface PypiIndex {
  /** `http://127.0.0.1:PORT/simple/` */
  url: string;
  origin: string;
  requests: Array<{ path: string; accept: string | undefined; authorization: string | undefined; status: number }>;
  projects: Record<string, IndexProjectSpec>;
  /** Keyed by request path. */
  faults: Map<string, { status: number } | { kind: 'html' } | { kind: 'garbage' } | { kind: 'oversized'; bytes: number } | { kind: 'hang' }>;
  close(): Promise<void>;
}

export interface PypiIndexOptions {
  projects: Record<string, IndexProjectSpec>;
  cacheControl?: string;
  /** When set, every request must carry these Basic credentials. */
  auth?: { user: string; password: string };
}

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';

/** The bytes a test distribution file stands for. */
export function contentOf(filename: string): Buffer {
  return Buffer.from(`distribution file ${filename}`);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function startPypiIndex(options: PypiIndexOptions): Promise<PypiIndex> {
  const requests: PypiIndex['requests'] = [];
  const faults: PypiIndex['faults'] = new Map();
  const server = createServer((req, res) => {
    const record = { path: req.url ?? '', accept: req.headers.accept, authorization: req.headers.authorization, status: 0 };
    requests.push(record);
    const reply = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    handle(req, res, reply).catch(() => res.destroy());
  });
  const handle = async (req: IncomingMessage, _res: ServerResponse, reply: (status: number, type: string, body: string | Buffer, headers?: Record<string, string>) => void): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (options.auth) {
      const expected = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return reply(401, 'text/plain', 'unauthorized', { 'www-authenticate': 'Basic realm="index"' });
    }
    const fault = faults.get(path);
    if (fault) {
      if ('status' in fault) return reply(fault.status, 'text/plain', 'fault');
      if (fault.kind === 'hang') return;
      if (fault.kind === 'html') return reply(200, 'text/html', '<html><body><a href="x">x</a></body></html>');
      if (fault.kind === 'garbage') return reply(200, SIMPLE_JSON, '{"files": not json');
      return reply(200, SIMPLE_JSON, Buffer.alloc(fault.bytes, 0x20));
    }
    const project = /^\/simple\/([^/]+)\/$/.exec(path);
    if (project?.[1]) {
      const spec = options.projects[project[1]];
      if (!spec) return reply(404, 'text/plain', 'not found');
      const body = JSON.stringify(pageOf(project[1], spec));
      const etag = `"${sha256Hex(body).slice(0, 16)}"`;
      const headers = { etag, 'cache-control': options.cacheControl ?? 'max-age=600, public' };
      if (req.headers['if-none-match'] === etag) return reply(304, SIMPLE_JSON, '', headers);
      return reply(200, SIMPLE_JSON, body, headers);
    }
    const provenance = /^\/provenance\/([^/]+)$/.exec(path);
    if (provenance?.[1]) {
      const filename = decodeURIComponent(provenance[1]);
      const file = Object.values(options.projects).flatMap((spec) => spec.files).find((item) => item.filename === filename);
      if (!file?.provenance || file.provenance === '404') return reply(404, 'text/plain', 'not found');
      return reply(200, 'application/json', JSON.stringify(file.provenance));
    }
    return reply(404, 'text/plain', 'not found');
  };
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/simple/`,
    origin,
    requests,
    projects: options.projects,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pageOf(name: string, spec: IndexProjectSpec): object {
  return {
    meta: { 'api-version': '1.1' },
    name,
    files: spec.files.map((file) => ({
      filename: file.filename,
      url: `../../files/${file.filename}`,
      hashes: { sha256: file.sha256 ?? sha256Hex(contentOf(file.filename)) },
      ...(file.uploadTime === null ? {} : { 'upload-time': file.uploadTime ?? '2026-01-01T00:00:00.000000Z' }),
      ...(file.yanked ? { yanked: file.yanked } : {}),
      ...(file.provenance ? { provenance: `/provenance/${encodeURIComponent(file.filename)}` } : {}),
    })),
    ...(spec.versions ? { versions: spec.versions } : {}),
  };
}

export interface AttestationSpec {
  filename: string;
  /** hex; defaults to the sha256 of `contentOf(filename)`. */
  sha256?: string;
  /** `owner/repo` of the Trusted Publisher. */
  repository: string;
  /** Workflow file name, e.g. `release.yml`. */
  workflow: string;
  /** The publisher the provenance object claims (defaults to the signer's). */
  claimed?: { repository?: string; workflow?: string; kind?: string };
  /** Passed on to the test PKI (faults, statement edits). */
  pki?: Partial<ProvenanceOptions>;
  /** Edits the finished bundle (tampering after signing). */
  tamper?: (bundle: BundleJson) => BundleJson;
  issuedAt?: Date;
}

/**
 * A PEP 740 provenance object whose attestation is a Sigstore bundle made by the test PKI: the
 * statement is PyPI's publish attestation for the file, signed by a GitHub Actions certificate.
 */
export function provenanceObject(pki: TestPki, spec: AttestationSpec): object {
  const sha256 = spec.sha256 ?? sha256Hex(contentOf(spec.filename));
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: spec.filename, digest: { sha256 } }],
    predicateType: 'https://docs.pypi.org/attestations/publish/v1',
    predicate: null,
  };
  let bundle = pki.provenanceBundle({
    name: 'python-distribution',
    version: '0',
    integrity: sha512Integrity(spec.filename),
    sourceRepo: `https://github.com/${spec.repository}`,
    workflow: `.github/workflows/${spec.workflow}`,
    ref: 'refs/tags/v1',
    ...(spec.issuedAt ? { issuedAt: spec.issuedAt } : {}),
    transformStatement: () => statement,
    ...spec.pki,
  });
  if (spec.tamper) bundle = spec.tamper(bundle);
  const certificate = bundle.verificationMaterial.certificate?.rawBytes ?? '';
  const attestation = {
    version: 1,
    verification_material: { certificate, transparency_entries: bundle.verificationMaterial.tlogEntries },
    envelope: { statement: bundle.dsseEnvelope.payload, signature: bundle.dsseEnvelope.signatures[0]?.sig ?? '' },
  };
  return {
    version: 1,
    attestation_bundles: [
      {
        publisher: { kind: spec.claimed?.kind ?? 'GitHub', repository: spec.claimed?.repository ?? spec.repository, workflow: spec.claimed?.workflow ?? spec.workflow, environment: null },
        attestations: [attestation],
      },
    ],
  };
}

export { createTestPki };
