import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes package.json and a flat v3 package-lock.json of `count` packages `pkg-<i>@1.0.0` into
 * `dir`, the first 50 direct, each depending (`^1.0.0`) on the packages `dependenciesOf(i)` names
 * by index; returns the lockfile's text.
 */
export async function writeFlatLockfile(dir: string, count: number, dependenciesOf: (index: number) => number[]): Promise<string> {
  const packages: Record<string, object> = {};
  const rootDependencies: Record<string, string> = {};
  for (let index = 0; index < count; index++) {
    const name = `pkg-${index}`;
    if (index < 50) rootDependencies[name] = '1.0.0';
    const dependencies = Object.fromEntries(dependenciesOf(index).map((other) => [`pkg-${other % count}`, '^1.0.0']));
    packages[`node_modules/${name}`] = { version: '1.0.0', resolved: `https://registry.example.test/${name}/-/${name}-1.0.0.tgz`, integrity: 'sha512-AAAA', dependencies };
  }
  const root = { name: 'flat', version: '1.0.0', dependencies: rootDependencies };
  await writeFile(join(dir, 'package.json'), JSON.stringify(root));
  const text = JSON.stringify({ name: 'flat', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': root, ...packages } }, null, 2);
  await writeFile(join(dir, 'package-lock.json'), text);
  return text;
}
