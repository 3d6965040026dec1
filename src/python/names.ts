/** PEP 503 normalisation: case-insensitive, runs of `-_.` are one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const SDIST_SUFFIXES = ['.tar.gz', '.zip', '.tar.bz2', '.tgz', '.tar.xz', '.tar'];

/**
 * The version a distribution file carries, for a project whose normalised name is known:
 * wheels are `{name}-{version}(-{build})?-{py}-{abi}-{platform}.whl`, sdists `{name}-{version}.tar.gz`
 * where older tools kept `-` inside the name.
 */
export function versionOfFilename(filename: string, normalizedProject: string): string | null {
  if (filename.endsWith('.whl')) {
    const parts = filename.slice(0, -4).split('-');
    if (parts.length < 5 || normalizeName(parts[0] ?? '') !== normalizedProject) return null;
    return parts[1] ?? null;
  }
  const suffix = SDIST_SUFFIXES.find((candidate) => filename.toLowerCase().endsWith(candidate));
  if (!suffix) return null;
  const stem = filename.slice(0, -suffix.length);
  for (let at = stem.indexOf('-'); at !== -1; at = stem.indexOf('-', at + 1)) {
    if (normalizeName(stem.slice(0, at)) === normalizedProject) return stem.slice(at + 1) || null;
  }
  return null;
}

/** PEP 440 equality for the purposes of matching a pin with an index listing (`1.0` == `1.0.0`, case, leading `v`). */
export function sameVersion(a: string, b: string): boolean {
  return canonicalVersion(a) === canonicalVersion(b);
}

function canonicalVersion(version: string): string {
  let text = version.trim().toLowerCase().replace(/^v/, '');
  const local = text.indexOf('+');
  const localPart = local === -1 ? '' : text.slice(local);
  if (local !== -1) text = text.slice(0, local);
  const match = /^(\d+(?:\.\d+)*)(.*)$/.exec(text);
  if (!match?.[1]) return version.trim().toLowerCase();
  const release = match[1].split('.').map(Number);
  while (release.length > 1 && release.at(-1) === 0) release.pop();
  return `${release.join('.')}${match[2] ?? ''}${localPart}`;
}
