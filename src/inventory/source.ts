import type npaModule from 'npm-package-arg';
import type { Result as NpaResult } from 'npm-package-arg';
import { lazyRequire } from '../util/lazy-require.js';
import type { PackageSource } from './model.js';

/** npm's spec parser (with hosted-git-info), loaded at the first spec: not on the way to the first registry request. */
const npa = lazyRequire<typeof npaModule>('npm-package-arg');

/**
 * Classifies where a locked package comes from, from its `resolved` value and the specs
 * that requested it. A registry tarball URL and a hand-written tarball URL look alike, so
 * the requesting spec decides: only a URL spec makes it `remote`.
 */
export function sourceOf(resolved: string | null, requestedBy: Iterable<string> = []): PackageSource {
  if (!resolved) return 'registry';
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(resolved)) return 'git';
  if (resolved.startsWith('file:')) return isTarballPath(resolved) ? 'file' : 'directory';
  if (/^https?:\/\//.test(resolved)) {
    // whatever order the requesting edges come in: a URL spec first, then a git one
    const specs = [...requestedBy];
    if (specs.some((spec) => /^https?:\/\//.test(spec))) return 'remote';
    if (specs.some((spec) => /^(git\+|git:|github:)/.test(spec))) return 'git';
    return 'registry';
  }
  // npm writes folders and tarballs inside the project as relative paths
  return isTarballPath(resolved) ? 'file' : 'directory';
}

export function isTarballPath(path: string): boolean {
  return /\.(tgz|tar\.gz|tar)$/i.test(path);
}

export type SpecKind = 'exact' | 'range' | 'tag' | 'git' | 'remote' | 'file' | 'directory' | 'workspace' | 'invalid';

export interface ParsedSpec {
  kind: SpecKind;
  /** The package the spec installs (differs from the key for `npm:` aliases). */
  target: string;
  /** The version range or tag for registry specs. */
  range: string | null;
  /** For git specs: whether the committish is a full commit sha. */
  pinnedCommit: boolean;
}

export function parseSpec(name: string, spec: string): ParsedSpec {
  if (/^(workspace|link|portal|patch|catalog):/.test(spec)) {
    return { kind: 'workspace', target: name, range: null, pinnedCommit: false };
  }
  let result: NpaResult;
  try {
    result = npa().resolve(name, spec, '/');
  } catch {
    return { kind: 'invalid', target: name, range: null, pinnedCommit: false };
  }
  if (result.type === 'alias' && result.subSpec) {
    const inner = parseSpec(result.subSpec.name ?? name, result.subSpec.rawSpec);
    return { ...inner, target: result.subSpec.name ?? name };
  }
  switch (result.type) {
    case 'version':
      return { kind: 'exact', target: name, range: result.fetchSpec, pinnedCommit: false };
    case 'range':
      return { kind: 'range', target: name, range: result.fetchSpec, pinnedCommit: false };
    case 'tag':
      return { kind: 'tag', target: name, range: result.fetchSpec, pinnedCommit: false };
    case 'git':
      return { kind: 'git', target: name, range: result.gitRange ?? null, pinnedCommit: /^[0-9a-f]{40}$/i.test(result.gitCommittish ?? '') };
    case 'remote':
      return { kind: 'remote', target: name, range: null, pinnedCommit: false };
    case 'file':
      return { kind: 'file', target: name, range: null, pinnedCommit: false };
    case 'directory':
      return { kind: 'directory', target: name, range: null, pinnedCommit: false };
    default:
      return { kind: 'invalid', target: name, range: null, pinnedCommit: false };
  }
}
