import { createServer, type Server } from 'node:https';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryFetchError, type RegistryClient } from '../../src/registry/transport/client.js';
import { packument } from '../helpers/packuments.js';
import { tlsServerPki, type TlsServerPki } from '../helpers/test-pki.js';
import { clientFor, sandbox, type Sandbox } from './setup.js';

/** A registry on 127.0.0.1 over HTTPS, its certificate signed by a private CA (what `cafile` is for). */
async function httpsRegistry(pki: TlsServerPki): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify(packument('left-pad', [{ version: '1.0.0', publishedAt: '2024-01-01T00:00:00.000Z' }]));
  const server = createServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
    if (req.url === '/left-pad') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `https://127.0.0.1:${port}/`, server };
}

type AgentOptions = { options: Record<string, unknown>; getName(options: object): string };
const agentOf = (client: RegistryClient, url: string) => (client as unknown as { agentFor(url: string): AgentOptions }).agentFor(url);

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((step) => step()));
  cleanup = [];
});

async function clientTrusting(caPem: string, registryUrl: string): Promise<RegistryClient> {
  const box: Sandbox = await sandbox();
  cleanup.push(box.cleanup);
  const cafile = join(box.dir, 'ca.pem');
  // a bundle as big as a system one, so the per-request cost this guards against would show
  await writeFile(cafile, caPem.repeat(150));
  await writeFile(join(box.dir, '.user-npmrc'), `cafile=${cafile}\n`);
  return clientFor(box, registryUrl);
}

describe('a registry behind a private CA (npm cafile)', () => {
  it('is trusted through one TLS context built once, not through the CA bundle on every request', async () => {
    const pki = tlsServerPki();
    const { url, server } = await httpsRegistry(pki);
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const client = await clientTrusting(pki.caPem, url);
    const fetched = await client.packument('left-pad', 'abbreviated');
    expect(fetched.body.name).toBe('left-pad');
    const agent = agentOf(client, url);
    expect(agent.options.ca).toBeUndefined();
    expect(agent.options.secureContext).toBeDefined();
    // Node's HTTPS agent makes its socket-pool key from its options on every request
    expect(agent.getName({ host: '127.0.0.1', port: 443 }).length).toBeLessThan(200);
  });

  it('still refuses a registry whose certificate another CA signed', async () => {
    const { url, server } = await httpsRegistry(tlsServerPki());
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const client = await clientTrusting(tlsServerPki().caPem, url);
    const error = await client.packument('left-pad', 'abbreviated').then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(RegistryFetchError);
    expect(String((error as Error).message)).toMatch(/certificate|self.signed|UNABLE_TO|verify/i);
  });
});
