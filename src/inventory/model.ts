/**
 * The inventory: what a project declares and what its lockfile locks, in a form every
 * lockfile format maps into. Everything after this stage reads only these types.
 */

export type LockfileFormat = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-berry' | 'bun';

/** Where a locked package comes from, as recorded in the lockfile. */
export type PackageSource =
  | 'registry' // a registry tarball (or a registry package whose URL the lockfile omits)
  | 'git'
  | 'remote' // a tarball URL outside the registry protocol
  | 'file' // a local tarball
  | 'directory' // a local folder (file: link, workspace outside the tree)
  | 'unknown';

export type DependencyType = 'prod' | 'dev' | 'optional' | 'peer';

export interface LockfileInfo {
  /** Absolute path. */
  path: string;
  /** File name relative to the project root, e.g. `package-lock.json`. */
  file: string;
  format: LockfileFormat;
  /** The format's own version marker (npm `lockfileVersion`, pnpm `lockfileVersion`, ...). */
  version: string;
}

/** A dependency as declared in a package.json of the project (root or workspace). */
export interface DeclaredDependency {
  name: string;
  spec: string;
  type: DependencyType;
  /** package.json that declares it, relative to the project root. */
  file: string;
  line: number | null;
  /** What the lockfile resolves this declaration to for its importer; null when it holds nothing. */
  locked: { name: string; version: string; source: PackageSource; workspace?: string } | null;
}

/** The root project or one of its workspaces. */
export interface Importer {
  /** Folder relative to the project root; `.` for the root. */
  path: string;
  name: string;
  version: string | null;
  declared: DeclaredDependency[];
}

export interface LockedPackage {
  /** Stable identity within the report: `name@version`, or `name@<resolved>` for non-registry sources. */
  id: string;
  /** The real package name (aliases resolved). */
  name: string;
  version: string;
  /** Names the package is installed under when they differ from `name` (npm aliases). */
  aliases: string[];
  resolved: string | null;
  integrity: string | null;
  /**
   * A hash the lockfile records in its package manager's own format instead of an npm SRI
   * (yarn berry's `checksum` of its zip archive): the package is hashed, but the value cannot
   * be compared with the registry's integrity, so that comparison is unknown.
   */
  checksum?: string;
  source: PackageSource;
  /** Declared directly by the root or a workspace. */
  direct: boolean;
  /** Only needed through devDependencies. */
  dev: boolean;
  /** Only needed through optionalDependencies. */
  optional: boolean;
  /** Only needed as a peer dependency. */
  peer: boolean;
  /** Workspace folders (relative) that depend on it directly. */
  workspaces: string[];
  /** Up to a few shortest dependency paths from an importer, each a list of names: ['my-app', 'a', 'b']. */
  paths: string[][];
  /** Number of distinct places (lockfile locations) holding this package. */
  instances: number;
  /** Where the package is recorded in the lockfile (first occurrence). */
  lockfileLine: number | null;
  /** Whether the lockfile records install scripts for it (npm `hasInstallScript`), null when it does not say. */
  hasInstallScript: boolean | null;
  /** Every instance ships inside its parent's tarball (npm `inBundle`): installed from there, with no integrity of its own. */
  bundled?: true;
}

export interface Inventory {
  /** Absolute project root. */
  root: string;
  /** Project name from package.json (or the folder name). */
  name: string;
  lockfile: LockfileInfo | null;
  importers: Importer[];
  packages: LockedPackage[];
  /** Things noticed while reading that the user should know (e.g. other lockfiles ignored). */
  notices: string[];
}

export const MAX_PATHS_PER_PACKAGE = 5;
