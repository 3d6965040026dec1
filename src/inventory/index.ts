import mapWorkspaces from '@npmcli/map-workspaces';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { AuditError, errorMessage } from '../errors.js';
import { packagesOf, type DependencyGraph } from './graph.js';
import { locateLockfiles, type LockfileCandidate } from './locate.js';
import { readManifest, type Manifest } from './manifest.js';
import type { DeclaredDependency, Importer, Inventory, LockfileFormat } from './model.js';
import { bunLockfileReader } from './bun.js';
import { npmLockfileReader } from './npm.js';
import { pnpmLockfileReader } from './pnpm.js';
import type { LockfileReader } from './reader.js';
import { yarnBerryLockfileReader } from './yarn-berry.js';
import { yarnClassicLockfileReader } from './yarn-classic.js';

const READERS = new Map<LockfileFormat, LockfileReader>(
  [npmLockfileReader, pnpmLockfileReader, yarnClassicLockfileReader, yarnBerryLockfileReader, bunLockfileReader].map((reader) => [reader.format, reader]),
);

export function registerLockfileReader(reader: LockfileReader): void {
  READERS.set(reader.format, reader);
}

export async function readInventory(dir: string): Promise<Inventory> {
  const root = resolve(dir);
  await assertDirectory(root);
  const rootManifest = await readManifest(root, root);
  const { chosen, ignored } = await locateLockfiles(root);
  const notices = ignored.map((other) => `${other.file} is also present and was not used; ${chosen?.file} was.`);
  const name = rootManifest.name ?? basename(root);

  if (!chosen) {
    const importers = await importersWithoutLockfile(root, rootManifest);
    return { root, name, lockfile: null, importers, packages: [], notices };
  }
  const { format, graph, version, readerNotices } = await readLockfile(root, chosen);
  const importers = await importersOf(root, graph, rootManifest, name);
  return {
    root,
    name,
    lockfile: { path: chosen.path, file: chosen.file, format, version },
    importers,
    packages: packagesOf(graph),
    notices: [...notices, ...readerNotices],
  };
}

export async function assertDirectory(root: string): Promise<void> {
  try {
    if (!(await stat(root)).isDirectory()) throw new AuditError('EPROJECT_MISSING', `${root} is not a directory.`, { file: root });
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError('EPROJECT_MISSING', `Project directory ${root} does not exist.`, { file: root, cause: error });
  }
}

async function readLockfile(root: string, candidate: LockfileCandidate) {
  if (candidate.format === 'bun-binary') {
    throw new AuditError(
      'ELOCKFILE_UNSUPPORTED',
      `${candidate.path} is bun's binary lockfile; run \`bun install --save-text-lockfile\` to write the text bun.lock, then audit again.`,
      { file: candidate.path },
    );
  }
  const reader = READERS.get(candidate.format);
  if (!reader) {
    throw new AuditError('ELOCKFILE_UNSUPPORTED', `${candidate.path}: ${candidate.format} lockfiles are not supported yet.`, {
      file: candidate.path,
    });
  }
  let text: string;
  try {
    text = await readFile(candidate.path, 'utf8');
  } catch (error) {
    throw new AuditError('ELOCKFILE_PARSE', `Cannot read ${candidate.path}: ${errorMessage(error)}.`, { file: candidate.path, cause: error });
  }
  const { version, graph, notices = [] } = await reader.read({
    root,
    lockfile: { path: candidate.path, file: candidate.file, format: candidate.format },
    text,
  });
  return { format: candidate.format, version, graph, readerNotices: notices };
}

async function importersOf(root: string, graph: DependencyGraph, rootManifest: Manifest, rootName: string): Promise<Importer[]> {
  const importers: Importer[] = [];
  for (const importer of graph.importers) {
    const manifest = importer.path === '.' ? rootManifest : await readManifest(join(root, importer.path), root);
    const lockedByName = new Map<string, DeclaredDependency['locked']>();
    for (const edge of graph.edgesFrom(importer.key)) {
      const node = graph.nodes.get(edge.to);
      if (node) lockedByName.set(edge.name, { name: node.name, version: node.version, source: node.source });
    }
    importers.push({
      path: importer.path,
      name: manifest.name ?? (importer.path === '.' ? rootName : importer.path),
      version: manifest.version,
      declared: manifest.declared.map((dep) => ({ ...dep, locked: lockedByName.get(dep.name) ?? null })),
    });
  }
  return importers;
}

async function importersWithoutLockfile(root: string, rootManifest: Manifest): Promise<Importer[]> {
  const importers: Importer[] = [toImporter('.', rootManifest, basename(root))];
  if (rootManifest.workspaces.length === 0) return importers;
  const workspaces = await mapWorkspaces({ cwd: root, pkg: rootManifest.raw });
  for (const path of workspaces.values()) {
    const manifest = await readManifest(path, root);
    importers.push(toImporter(relative(root, path), manifest, relative(root, path)));
  }
  return importers;
}

function toImporter(path: string, manifest: Manifest, fallbackName: string): Importer {
  return {
    path,
    name: manifest.name ?? fallbackName,
    version: manifest.version,
    declared: manifest.declared.map((dep) => ({ ...dep, locked: null })),
  };
}
