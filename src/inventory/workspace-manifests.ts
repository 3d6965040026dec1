import { relative } from 'node:path';
import { readManifest, type Manifest } from './manifest.js';
import { normalizeFolder } from './reader-support.js';

export interface WorkspaceManifest {
  /** Folder relative to the project root; `.` for the root. */
  path: string;
  manifest: Manifest;
}

/**
 * The root package.json and those of its `workspaces`, for lockfiles that do not record the
 * importers' own dependencies (yarn 1) or record them untyped (yarn berry).
 */
export async function workspaceManifests(root: string): Promise<WorkspaceManifest[]> {
  const rootManifest = await readManifest(root, root);
  const out: WorkspaceManifest[] = [{ path: '.', manifest: rootManifest }];
  if (rootManifest.workspaces.length === 0) return out;
  const { default: mapWorkspaces } = await import('@npmcli/map-workspaces');
  const folders = await mapWorkspaces({ cwd: root, pkg: rootManifest.raw });
  for (const folder of [...folders.values()].sort()) {
    out.push({ path: normalizeFolder(relative(root, folder)), manifest: await readManifest(folder, root) });
  }
  return out;
}
