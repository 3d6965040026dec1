import type { AiRole } from '../ai/catalog.js';
import type { AiTier } from '../model/tier.js';
import type { ParsedRequirement } from './requirement.js';

/** Where a Python requirement is declared. */
export type RequirementSource = 'requirements' | 'pyproject' | 'pipfile' | 'dockerfile';

export type PythonLockFormat = 'uv.lock' | 'poetry.lock' | 'Pipfile.lock' | 'pdm.lock' | 'requirements';

/** One declared requirement (PEP 508), at its own file and line. */
export interface PythonRequirement extends ParsedRequirement {
  /** `sha256:<hex>` hashes given with `--hash`. */
  hashes: string[];
  file: string;
  line: number;
  source: RequirementSource;
}

/** A file a lock entry names, with the hash the lock records for it. */
export interface LockedFile {
  filename: string | null;
  sha256: string | null;
}

/** One package a Python lockfile locks. */
export interface LockedPythonPackage {
  name: string;
  normalized: string;
  version: string;
  file: string;
  line: number;
  format: PythonLockFormat;
  /** The index the lock says the package came from; null when the lock does not say. */
  index: string | null;
  files: LockedFile[];
}

/** A Python file that could not be read as what its name says: never a silent skip. */
export interface PythonFileProblem {
  file: string;
  line: number | null;
  message: string;
}

export interface ParsedLock {
  packages: LockedPythonPackage[];
  problems: PythonFileProblem[];
}

/**
 * How a requirement is pinned: `locked` by a lockfile, `hashed` (== with --hash), `exact` (== alone),
 * `constrained` (an == pin in a -c constraints file), `range` (anything else, incl. no version).
 */
export type PythonPinning = 'locked' | 'hashed' | 'exact' | 'constrained' | 'range';

/** What pins the requirement, and where. */
export interface PinSource {
  file: string;
  line: number;
  format: PythonLockFormat | 'constraints';
}

/** An AI package the project's Python files require, with what it resolves to. */
export interface PythonPin {
  requirement: PythonRequirement;
  /** Catalog tool name. */
  tool: string;
  tier: AiTier;
  /** LiteLLM as a library (`framework`) and as the proxy server (`gateway-server`) are different roles. */
  role: AiRole;
  /** Why the role was chosen (extra, command), when it differs from the catalog's. */
  roleEvidence: string | null;
  pinning: PythonPinning;
  /** The exact version installed (locked or pinned); null for a range. */
  version: string | null;
  /** The specifier when unpinned (`>=1.40`, '' for none). */
  range: string | null;
  pinnedBy: PinSource | null;
  /** Hashes of the files the pin allows (lock or --hash), `sha256:<hex>`. */
  hashes: string[];
  /** Filenames the lock records for the version. */
  lockedFiles: string[];
  /** The index the lock recorded, if any. */
  lockIndex: string | null;
}
