import type { DependencyGraph } from './graph.js';
import type { LockfileFormat, LockfileInfo } from './model.js';

export interface LockfileReadInput {
  /** Absolute project root. */
  root: string;
  lockfile: Omit<LockfileInfo, 'version'>;
  text: string;
}

/** One per lockfile format: turns the file into the format-neutral graph. */
export interface LockfileReader {
  format: LockfileFormat;
  read(input: LockfileReadInput): Promise<{ version: string; graph: DependencyGraph; notices?: string[] }>;
}
