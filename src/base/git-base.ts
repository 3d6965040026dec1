import { AuditError, errorMessage } from '../model/errors.js';
import { git, GitError, gitText, readBlobs } from './git.js';
import { withPrivateFolder, type BaseSide } from './materialize.js';
import { LOCKFILE_NAMES, selectAuditInputs, type ListedFile } from './select.js';

const MAX_TREE_LISTING_BYTES = 256 * 1024 * 1024;

interface TreeEntry extends ListedFile {
  oid: string;
}

/**
 * The project as it was at `ref`, read from git objects: no checkout, nothing in the work tree
 * or the index changes. The project may be a subfolder of the repository.
 */
export async function materializeGitBase(projectDir: string, ref: string): Promise<BaseSide> {
  assertRefShape(ref);
  const { toplevel, prefix } = await repositoryOf(projectDir);
  const commit = await resolveCommit(toplevel, ref);
  const entries = await listProjectTree(toplevel, commit, prefix, ref);
  const where = prefix ? `${prefix} at ${ref}` : ref;
  if (!entries.some((entry) => entry.path === 'package.json')) {
    throw new AuditError('EBASE', `--base ${ref}: there is no package.json in ${prefix || 'the repository root'} at that revision.`);
  }
  const { files, skipped } = selectAuditInputs(entries);
  const oidOf = new Map(entries.map((entry) => [entry.path, entry.oid]));
  const wanted = [...new Set(files.map((file) => oidOf.get(file.path) ?? ''))];
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  let blobs: Map<string, Buffer>;
  try {
    // each blob's header line is under 100 bytes
    blobs = await readBlobs(toplevel, wanted, bytes + wanted.length * 100 + 1024);
  } catch (error) {
    throw new AuditError('EBASE', `--base ${ref}: cannot read the files of ${where}: ${errorMessage(error)}.`, { cause: error });
  }
  const folder = await withPrivateFolder(async (write) => {
    for (const file of files) {
      const blob = blobs.get(oidOf.get(file.path) ?? '');
      if (blob) await write(file.path, blob);
    }
  });
  const notices: string[] = [];
  if (!files.some((file) => (LOCKFILE_NAMES as readonly string[]).includes(file.path))) {
    notices.push(`Base ${where} has no lockfile: every locked package counts as added.`);
  }
  if (skipped.length > 0) notices.push(`Base ${where}: ${skipped.length} file(s) were too large to read (first: ${skipped[0]}).`);
  return { ...folder, ref, commit, notices };
}

/** A ref is passed to git as an argument; one that looks like an option or holds control characters is refused. */
function assertRefShape(ref: string): void {
  // eslint-disable-next-line no-control-regex
  if (ref === '' || ref.startsWith('-') || ref.length > 256 || /[\x00-\x1f\x7f]/.test(ref)) {
    throw new AuditError('EUSAGE', `--base ${JSON.stringify(ref)} is not a git revision.`);
  }
}

async function repositoryOf(projectDir: string): Promise<{ toplevel: string; prefix: string }> {
  let lines: string[];
  try {
    lines = (await git(projectDir, ['rev-parse', '--show-toplevel', '--show-prefix'], 64 * 1024)).toString('utf8').split('\n');
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.stderr)) {
      throw new AuditError('EBASE', `--base needs a git repository, and ${projectDir} is not in one; use --base-lockfile <file> for a tree outside git.`, { cause: error });
    }
    throw new AuditError('EBASE', `--base: ${errorMessage(error)}.`, { cause: error });
  }
  const toplevel = lines[0] ?? '';
  if (!toplevel) throw new AuditError('EBASE', `--base: ${projectDir} is inside a git directory, not a work tree.`);
  return { toplevel, prefix: (lines[1] ?? '').replace(/\/$/, '') };
}

async function resolveCommit(toplevel: string, ref: string): Promise<string> {
  try {
    return await gitText(toplevel, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch (error) {
    const shallow = await gitText(toplevel, ['rev-parse', '--is-shallow-repository']).catch(() => 'false');
    const hint = shallow === 'true' ? ' This clone is shallow: fetch the base first (e.g. `git fetch --depth=1 origin <branch>`).' : '';
    throw new AuditError('EBASE', `--base ${ref}: no such commit in ${toplevel}.${hint}`, { cause: error });
  }
}

async function listProjectTree(toplevel: string, commit: string, prefix: string, ref: string): Promise<TreeEntry[]> {
  const treeish = prefix ? `${commit}:${prefix}` : commit;
  if (prefix) {
    const type = await gitText(toplevel, ['cat-file', '-t', treeish]).catch(() => null);
    if (type !== 'tree') throw new AuditError('EBASE', `--base ${ref}: the project folder ${prefix} does not exist at that revision.`);
  }
  let out: Buffer;
  try {
    out = await git(toplevel, ['ls-tree', '-r', '-l', '-z', treeish], MAX_TREE_LISTING_BYTES);
  } catch (error) {
    throw new AuditError('EBASE', `--base ${ref}: cannot list the files at that revision: ${errorMessage(error)}.`, { cause: error });
  }
  const entries: TreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    // `<mode> <type> <oid> <size>\t<path>`; symlinks (120000) and submodules are not followed
    const match = /^(100644|100755) blob ([0-9a-f]{40,64}) +(\d+)\t(.+)$/s.exec(record);
    if (!match?.[2] || !match[3] || !match[4]) continue;
    entries.push({ oid: match[2], size: Number(match[3]), path: match[4] });
  }
  return entries;
}
