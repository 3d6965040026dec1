import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  /** Stages everything and commits; returns the commit id. */
  commit(message: string): string;
  /** Copies a folder into the repository (at `to`, relative). */
  copyIn(from: string, to: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A git repository in a temp folder, with an identity and no signing, isolated from the user's git config. */
export async function makeRepo(): Promise<TestRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'aca-repo-'));
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.test', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.test' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '--no-gpg-sign', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    copyIn: (from, to) => cp(from, join(dir, to), { recursive: true }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
