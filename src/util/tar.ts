import type * as Tar from 'tar';
import { lazyRequire } from './lazy-require.js';

/** node-tar, loaded when the first tarball is read: a warm run reads none. */
export const loadTar = lazyRequire<typeof Tar>('tar');
