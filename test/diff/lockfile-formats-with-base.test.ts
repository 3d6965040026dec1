import { copyFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditWithBase } from '../../src/audit-with-base.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { materializeFixture, readExpected } from '../helpers/fixtures.js';
import { makeRepo } from '../helpers/git-repo.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CASES: Array<[string, string]> = [
  ['npm-workspaces', 'package-lock.json'],
  ['pnpm-v9', 'pnpm-lock.yaml'],
  ['yarn-v1', 'yarn.lock'],
  ['yarn-berry', 'yarn.lock'],
  ['bun', 'bun.lock'],
];

describe.each(CASES)('--base on a %s project (real lockfile, in a subfolder of the repository)', (name, lockfile) => {
  it('the change that adds the lockfile adds every locked package; against itself nothing changes', async () => {
    const fixture = await materializeFixture(`lockfiles/${name}`);
    cleanups.push(fixture.cleanup);
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    await repo.copyIn(fixture.dir, 'app');
    const project = join(repo.dir, 'app');
    await rename(join(project, lockfile), join(fixture.dir, `${lockfile}.saved`));
    repo.commit('manifests only');
    await copyFile(join(fixture.dir, `${lockfile}.saved`), join(project, lockfile));
    repo.commit('the lockfile');
    const policy = defaultPolicy();

    const added = await auditWithBase(project, { policy }, { ref: 'HEAD~1' }, { failOnExisting: false });
    const expected = (await readExpected(`lockfiles/${name}`)).packages.map((pkg) => `${pkg.name}@${pkg.version}`).sort();
    expect(added.diff.base.lockfile).toBeNull();
    expect(added.diff.packages.added.map((pkg) => `${pkg.name}@${pkg.version}`).sort()).toEqual(expected);
    expect([added.diff.packages.removed, added.diff.packages.changed]).toEqual([[], []]);
    expect(added.notices).toContain('Base app at HEAD~1 has no lockfile: every locked package counts as added.');
    expect(added.diff.absentFindings.map((finding) => finding.ruleId)).toContain('lockfile-missing');

    const same = await auditWithBase(project, { policy }, { ref: 'HEAD' }, { failOnExisting: false });
    expect(same.diff.base.lockfile).toBe(lockfile);
    expect(same.diff.summary).toEqual({ ...same.diff.summary, packagesAdded: 0, packagesRemoved: 0, packagesChanged: 0, aiToolsAdded: 0, aiToolsRemoved: 0, aiRoutesAdded: 0, aiRoutesRemoved: 0, newFindings: 0, absentFindings: 0 });
    expect(same.findings.every((finding) => finding.baselineState === 'unchanged')).toBe(true);
    expect(same.findings.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('--base: a base the readers reject', () => {
  it('names the base and the file in it, not the private folder', async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    const fixture = await materializeFixture('lockfiles/npm-v3-basic');
    cleanups.push(fixture.cleanup);
    await repo.copyIn(fixture.dir, '.');
    await writeFile(join(repo.dir, 'package-lock.json'), '{ "lockfileVersion": 3, "packages": ');
    repo.commit('a broken lockfile');
    await copyFile(join(fixture.dir, 'package-lock.json'), join(repo.dir, 'package-lock.json'));
    repo.commit('fixed');
    const failure = auditWithBase(repo.dir, { policy: defaultPolicy() }, { ref: 'HEAD~1' }, { failOnExisting: false });
    await expect(failure).rejects.toMatchObject({ code: 'ELOCKFILE_PARSE' });
    await expect(failure).rejects.toThrow(/^At the base \(HEAD~1\): package-lock\.json is not valid JSON \(.*\); was it truncated or hand-edited\?$/);
  });
});
