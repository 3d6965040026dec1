import { describe, expect, it } from 'vitest';
import { lockfileMissing } from '../../src/checks/lockfile-missing.js';
import { context, declared, inventory } from '../helpers/inventory.js';

describe('lockfile-missing', () => {
  it('reports a project without a lockfile at high severity', () => {
    const findings = lockfileMissing.run(context(inventory({ lockfile: null, declared: [declared('a', '^1.0.0')] })));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'lockfile-missing', severity: 'high', evidence: { declaredDependencies: 1 } });
  });

  it('is silent when a lockfile exists', () => {
    expect(lockfileMissing.run(context(inventory()))).toEqual([]);
  });
});
