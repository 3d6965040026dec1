import type * as Tar from 'tar';
import { lazyRequire } from './lazy-require.js';

/** node-tar, loaded when the first tarball is read: a warm run reads none. */
export const loadTar = lazyRequire<typeof Tar>('tar');

/** A file of a package tarball: its path without the archive's top folder (`package/`), and its text. */
export interface TarFile {
  path: string;
  text: string;
}

/**
 * The files of an uncompressed package archive that `pick` keeps (given each file's path and
 * size), as text, in archive order; read in memory, never extracted. Parsed in one synchronous
 * pass; a truncated archive gives the files before the cut.
 */
export function readTarFiles(tar: Buffer, pick: (path: string, size: number) => boolean): TarFile[] {
  const files: TarFile[] = [];
  const parser = new (loadTar().Parser)({
    strict: false,
    onReadEntry: (entry) => {
      const path = entry.path.replace(/^[^/]+\//, '');
      if (entry.type !== 'File' || !pick(path, entry.size)) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.push({ path, text: Buffer.concat(chunks).toString('utf8') }));
    },
  });
  parser.end(tar);
  return files;
}
