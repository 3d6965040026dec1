import type { DependencyType, Importer, LockfileFormat } from '../inventory/model.js';

/** The package manager whose lockfile the project keeps; npm when there is none. */
type Manager = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-berry' | 'bun';

function managerOf(format: LockfileFormat | null): Manager {
  return format ?? 'npm';
}

const EXACT: Record<Manager, string> = { npm: 'npm install --save-exact', pnpm: 'pnpm add --save-exact', 'yarn-classic': 'yarn add --exact', 'yarn-berry': 'yarn add --exact', bun: 'bun add --exact' };

const TYPE_FLAG: Record<Manager, Partial<Record<DependencyType, string>>> = {
  npm: { dev: '--save-dev', optional: '--save-optional' },
  pnpm: { dev: '--save-dev', optional: '--save-optional' },
  'yarn-classic': { dev: '--dev', optional: '--optional' },
  'yarn-berry': { dev: '--dev', optional: '--optional' },
  bun: { dev: '--dev', optional: '--optional' },
};

/** The command that declares `name` at an exact version, in the importer that declares it, with the project's package manager. */
export function pinCommand(format: LockfileFormat | null, importer: Pick<Importer, 'path' | 'name'>, type: DependencyType, spec: string): string {
  const manager = managerOf(format);
  const flag = TYPE_FLAG[manager][type];
  const add = [EXACT[manager], ...(flag ? [flag] : []), spec].join(' ');
  if (importer.path === '.') return add;
  switch (manager) {
    case 'npm':
      return `${add} -w ${importer.path}`;
    case 'pnpm':
      return `${add} --filter ./${importer.path}`;
    case 'yarn-classic':
    case 'yarn-berry':
      return add.replace(/^yarn /, `yarn workspace ${importer.name} `);
    case 'bun':
      return `(cd ${importer.path} && ${add})`;
  }
}

/** The install that refuses to change the lockfile (for CI). */
export function frozenInstallCommand(format: LockfileFormat | null): string {
  switch (managerOf(format)) {
    case 'npm':
      return 'npm ci';
    case 'pnpm':
      return 'pnpm install --frozen-lockfile';
    case 'yarn-classic':
      return 'yarn install --frozen-lockfile';
    case 'yarn-berry':
      return 'yarn install --immutable';
    case 'bun':
      return 'bun install --frozen-lockfile';
  }
}

/** The install that updates the lockfile to match the manifests. */
export function installCommand(format: LockfileFormat | null): string {
  const manager = managerOf(format);
  return `${manager === 'yarn-classic' || manager === 'yarn-berry' ? 'yarn' : manager} install`;
}
