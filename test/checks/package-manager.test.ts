import { describe, expect, it } from 'vitest';
import { frozenInstallCommand, installCommand, pinCommand } from '../../src/checks/package-manager.js';
import { unpinnedSpec } from '../../src/checks/unpinned-spec.js';
import type { LockfileFormat } from '../../src/inventory/model.js';
import { context, declared, inventory } from '../helpers/inventory.js';

const ROOT = { path: '.', name: 'app' };
const WORKSPACE = { path: 'packages/api', name: '@acme/api' };

describe('fix commands use the project\'s package manager', () => {
  it.each([
    ['npm', 'npm install --save-exact openai@4.104.0', 'npm ci', 'npm install'],
    ['pnpm', 'pnpm add --save-exact openai@4.104.0', 'pnpm install --frozen-lockfile', 'pnpm install'],
    ['yarn-classic', 'yarn add --exact openai@4.104.0', 'yarn install --frozen-lockfile', 'yarn install'],
    ['yarn-berry', 'yarn add --exact openai@4.104.0', 'yarn install --immutable', 'yarn install'],
    ['bun', 'bun add --exact openai@4.104.0', 'bun install --frozen-lockfile', 'bun install'],
  ] as const)('%s', (format, pin, frozen, install) => {
    expect(pinCommand(format, ROOT, 'prod', 'openai@4.104.0')).toBe(pin);
    expect(frozenInstallCommand(format)).toBe(frozen);
    expect(installCommand(format)).toBe(install);
  });

  it.each([
    ['npm', 'dev', 'npm install --save-exact --save-dev vitest@3.0.0 -w packages/api'],
    ['pnpm', 'dev', 'pnpm add --save-exact --save-dev vitest@3.0.0 --filter ./packages/api'],
    ['yarn-classic', 'optional', 'yarn workspace @acme/api add --exact --optional vitest@3.0.0'],
    ['yarn-berry', 'dev', 'yarn workspace @acme/api add --exact --dev vitest@3.0.0'],
    ['bun', 'dev', '(cd packages/api && bun add --exact --dev vitest@3.0.0)'],
  ] as const)('%s: a %s dependency of a workspace', (format, type, expected) => {
    expect(pinCommand(format, WORKSPACE, type, 'vitest@3.0.0')).toBe(expected);
  });

  it('npm without a lockfile', () => {
    expect(pinCommand(null, ROOT, 'prod', 'ms@2.1.3')).toBe('npm install --save-exact ms@2.1.3');
  });

  it.each([
    ['pnpm', 'pnpm-lock.yaml', 'pnpm add --save-exact'],
    ['bun', 'bun.lock', 'bun add --exact'],
    ['yarn-berry', 'yarn.lock', 'yarn add --exact'],
  ] as const)('unpinned-spec on a %s project says %s', (format, file, command) => {
    const dep = declared('openai', '^4.0.0', { locked: { name: 'openai', version: '4.104.0', source: 'registry' } });
    const lockfile = { path: `/project/${file}`, file, format: format as LockfileFormat, version: '9' };
    const [finding] = unpinnedSpec.run(context(inventory({ declared: [dep], lockfile })));
    expect(finding?.remediation).toBe(`Pin the exact version: "openai": "4.104.0" (${command} openai@4.104.0).`);
  });
});
