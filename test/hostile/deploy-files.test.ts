import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { readAiEvidence } from '../../src/ai/stage.js';
import { inventory } from '../helpers/inventory.js';

const catalog = new CatalogIndex(builtinCatalog);
let root: string;
let outside: string;

const COMPOSE = `x-image: &gateway ghcr.io/berriai/litellm:main-latest
x-base: &base
  image: ghcr.io/berriai/litellm:v1.55.0
  restart: always
services:
  proxy:
    image: *gateway
  second:
    <<: *base
`;

// every level doubles: expanded naively it is 2^30 strings
const LAUGHS = ['a0: &a0 [x, x]', ...Array.from({ length: 30 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`), 'image: *a30', ''].join('\n');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aca-deploy-'));
  outside = await mkdtemp(join(tmpdir(), 'aca-deploy-outside-'));
  await writeFile(join(root, 'docker-compose.yml'), COMPOSE);
  await writeFile(join(root, 'laughs.yaml'), LAUGHS);
  await writeFile(join(root, 'requirements.txt'), 'litellm[proxy]==1.82.6\nlitellm >= 1.0 ; python_version > "3.9"\nthis is <not> a requirement\n');
  await writeFile(join(root, 'uv.lock'), '[[package]]\nname = "litellm"\nversion = \n');
  await writeFile(join(outside, 'compose.yaml'), 'services:\n  gw:\n    image: ghcr.io/berriai/litellm:main-latest\n');
  await mkdir(join(root, 'deploy'));
  await symlink(join(outside, 'compose.yaml'), join(root, 'deploy', 'compose.yaml'));
  const deep = join(root, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i');
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'docker-compose.yml'), 'services:\n  gw:\n    image: ghcr.io/berriai/litellm:main-latest\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('deployment and Python files', () => {
  it('resolve compose anchors and merge keys, bound alias expansion, and name every file or line they could not read', async () => {
    const started = performance.now();
    const evidence = await readAiEvidence(inventory({ root, packages: [] }), { catalog });
    expect(performance.now() - started).toBeLessThan(10_000);
    const images = evidence.signals.flatMap((signal) => (signal.fact.type === 'image' ? [`${signal.file}:${signal.line} ${signal.fact.service} ${signal.fact.image.raw}`] : []));
    expect(images).toEqual(expect.arrayContaining(['docker-compose.yml:7 proxy ghcr.io/berriai/litellm:main-latest', 'docker-compose.yml:3 second ghcr.io/berriai/litellm:v1.55.0']));
    const notices = evidence.notices.join('\n');
    expect(notices).toMatch(/requirements\.txt has 1 line\(s\) that are not requirements \(line 3\)/);
    expect(notices).toMatch(/uv\.lock is not valid TOML/);
    expect(notices).toMatch(/deploy\/compose\.yaml/);
    expect(notices).toMatch(/a\/b\/c\/d\/e\/f\/g\/h\/i\/docker-compose\.yml/);
    expect(notices).not.toMatch(/requirements\.txt.*line 1\b|line 2\b/);
  });
});
