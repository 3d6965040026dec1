// The benchmark's corpus: real registry documents and tarballs, fetched once from the registry
// npm is configured with and kept outside the repository, so later runs serve them offline.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Corpus {
  /** The folder (printed by the bench): `BENCH_CORPUS`, else `~/.cache/ai-chain-audit-bench`. */
  dir: string;
  /** npm's configured registry, with a trailing slash. */
  upstream: string;
  /** Tarballs fetched while a timed run waited for them (the corpus was incomplete). */
  lateFetches: number;
}

const FETCH_CONCURRENCY = 12;

export async function openCorpus(): Promise<Corpus> {
  const dir = process.env.BENCH_CORPUS ?? join(homedir(), '.cache', 'ai-chain-audit-bench');
  await mkdir(join(dir, 'documents'), { recursive: true });
  await mkdir(join(dir, 'tarballs'), { recursive: true });
  return { dir, upstream: configuredRegistry(), lateFetches: 0 };
}

function configuredRegistry(): string {
  const npm = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' });
  const url = npm.stdout.trim();
  if (npm.status !== 0 || !/^https?:\/\//.test(url)) throw new Error(`npm config get registry gave no registry URL: ${npm.stderr.trim()}`);
  return url.endsWith('/') ? url : `${url}/`;
}

function documentFile(corpus: Corpus, name: string): string {
  return join(corpus.dir, 'documents', `${encodeURIComponent(name)}.json`);
}

function tarballFile(corpus: Corpus, path: string): string {
  return join(corpus.dir, 'tarballs', encodeURIComponent(path.replace(/^\//, '')));
}

/** Fetches the full document of every name the corpus lacks (a 404 is kept as an empty file). */
export async function ensureDocuments(corpus: Corpus, names: string[]): Promise<void> {
  const missing = names.filter((name) => !existsSync(documentFile(corpus, name)));
  if (missing.length === 0) return;
  process.stdout.write(`fetching ${missing.length} documents into ${corpus.dir} …\n`);
  let done = 0;
  let bytes = 0;
  const queue = [...missing];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const body = await upstream(corpus, documentPath(name), 'application/json');
      await writeAtomically(documentFile(corpus, name), body ?? Buffer.alloc(0));
      bytes += body?.length ?? 0;
      if (++done % 200 === 0) process.stdout.write(`  ${done}/${missing.length} documents, ${(bytes / 1048576).toFixed(0)} MB\n`);
    }
  };
  await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, worker));
}

/** The stored full document, or null when the registry had none. */
export async function storedDocument(corpus: Corpus, name: string): Promise<Buffer | null> {
  const body = await readFile(documentFile(corpus, name)).catch(() => null);
  return body && body.length > 0 ? body : null;
}

/** A tarball by its registry path (`/name/-/name-1.0.0.tgz`), fetched and kept the first time it is asked for. */
export async function storedTarball(corpus: Corpus, path: string): Promise<Buffer | null> {
  const file = tarballFile(corpus, path);
  const stored = await readFile(file).catch(() => null);
  if (stored) return stored.length > 0 ? stored : null;
  corpus.lateFetches++;
  const body = await upstream(corpus, path.replace(/^\//, ''), '*/*');
  await writeAtomically(file, body ?? Buffer.alloc(0));
  return body;
}

export function documentPath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

async function upstream(corpus: Corpus, path: string, accept: string): Promise<Buffer | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`${corpus.upstream}${path}`, { headers: { accept } });
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`status ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (attempt >= 2) throw new Error(`corpus: could not fetch ${path}: ${(error as Error).message}`);
    }
  }
}

async function writeAtomically(file: string, body: Buffer): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, file);
}
