import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Every property name a schema defines, at any depth. */
function propertyNames(schema: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) propertyNames(item, names);
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && value && typeof value === 'object') for (const name of Object.keys(value)) names.add(name);
      propertyNames(value, names);
    }
  }
  return names;
}

async function schema(name: string): Promise<unknown> {
  return JSON.parse(await readFile(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as unknown;
}

describe('README', () => {
  it('documents every field of the JSON report schema', async () => {
    const documented = section('JSON report');
    const missing = [...propertyNames(await schema('report.schema.json'))].filter((name) => !documented.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('documents every key of the policy file schema', async () => {
    const documented = section('Policy file');
    const missing = [...propertyNames(await schema('policy.schema.json'))].filter((name) => name !== '$schema' && !documented.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
