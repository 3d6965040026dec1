import { analyzeRelease } from '../../src/release-diff/analyze.js';
import type { PackageFiles, ReleaseDiff } from '../../src/release-diff/model.js';
import { readPackageTarball } from '../../src/release-diff/tarball-files.js';
import { makeTarball } from '../helpers/packuments.js';

/** Packs both versions as real tarballs, reads them back through the integrity check and compares them. */
export async function diffOfReleases(name: string, previous: { version: string; files: Record<string, string> }, current: { version: string; files: Record<string, string> }): Promise<ReleaseDiff> {
  const [before, after] = await Promise.all([packAndRead(name, previous), packAndRead(name, current)]);
  return analyzeRelease({ name, version: current.version, previousVersion: previous.version, current: after, previous: before });
}

export async function packAndRead(name: string, release: { version: string; files: Record<string, string> }): Promise<PackageFiles> {
  const tarball = await makeTarball(name, release.version, release.files);
  const read = await readPackageTarball(tarball.data, tarball.integrity);
  if (!read.ok) throw new Error(read.message);
  if (read.integrity !== 'verified') throw new Error(`integrity ${read.integrity}`);
  return read.contents;
}
