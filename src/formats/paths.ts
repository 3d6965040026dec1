import { isAbsolute, join, relative, sep } from 'node:path';

/**
 * A finding's file (relative to the project root) as a path relative to `sourceRoot`, with
 * forward slashes: what CI systems expect when the project sits in a subfolder of the checkout.
 */
export function pathFromSourceRoot(projectRoot: string, sourceRoot: string, file: string): string {
  const absolute = isAbsolute(file) ? file : join(projectRoot, file);
  const path = relative(sourceRoot, absolute);
  return path.split(sep).join('/');
}
