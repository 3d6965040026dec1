import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import { aiStage } from '../../src/ai/stage.js';
import { nestedLockfilesNotice } from '../../src/inventory/nested-lockfiles.js';
import { inventory } from '../helpers/inventory.js';
import { tempProjects } from '../helpers/temp-dirs.js';

const project = tempProjects('aca-nested-');
const root = { path: '.', name: 'app', version: null, declared: [] };

describe('lockfiles of projects in subfolders', () => {
  it('names the lockfiles below the root that no audit of the root reads (Mintplex-Labs/anything-llm: server, frontend, collector)', async () => {
    const dir = await project({
      'package.json': '{"name":"repo","devDependencies":{"concurrently":"^9.1.2"}}',
      'server/package.json': '{"name":"server"}',
      'server/yarn.lock': '# yarn lockfile v1\n',
      'frontend/yarn.lock': '# yarn lockfile v1\n',
      'collector/package-lock.json': '{}',
      'packages/ui/package-lock.json': '{}',
      'node_modules/dep/package-lock.json': '{}',
    });
    const stage = await aiStage(inventory({ root: dir, lockfile: null, importers: [root, { ...root, path: 'packages/ui', name: 'ui' }] }), { catalog: new CatalogIndex(builtinCatalog) });
    const notice = stage.notices.find((text) => text.startsWith('Not audited'));
    // a workspace's packages come from the root lockfile, and installed packages are not projects
    expect(notice).toBe("Not audited: 3 lockfile(s) in subfolders belong to projects of their own (collector/package-lock.json, frontend/yarn.lock, server/yarn.lock); only the lockfile at the project's root is read — audit each of those folders on its own.");
  });

  it('says nothing when the only lockfile is the root one, and shortens a long list', () => {
    expect(nestedLockfilesNotice(['package-lock.json', 'src/yarn.lock.ts', 'docs/lockfile.md'], [root])).toBeNull();
    const many = Array.from({ length: 7 }, (_, index) => `examples/app-${index}/package-lock.json`);
    expect(nestedLockfilesNotice(many, [root])).toMatch(/^Not audited: 7 lockfile\(s\) .*examples\/app-4\/package-lock\.json and 2 more\)/);
  });
});
