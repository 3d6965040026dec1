import { readdir, readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/index.js';
import { RULE_IDS } from '../../src/model/rule-id.js';

async function doc(name: string): Promise<string> {
  return readFile(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
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

describe('docs/', () => {
  it('documents every field of the JSON report schema', async () => {
    const documented = await doc('json-report.md');
    const missing = [...propertyNames(await schema('report.schema.json'))].filter((name) => !documented.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('documents every key of the policy file schema', async () => {
    const documented = await doc('policy.md');
    const missing = [...propertyNames(await schema('policy.schema.json'))].filter((name) => name !== '$schema' && !documented.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
  it('lists every rule in docs/rules.md, naming the default severity its check declares', async () => {
    const rows = new Map((await doc('rules.md')).split('\n').flatMap((line) => {
      const match = /^\| `([a-z-]+)` \| ([^|]+) \|/.exec(line);
      return match ? [[match[1] ?? '', match[2] ?? ''] as const] : [];
    }));
    expect(RULE_IDS.filter((id) => !new RegExp(`\\b${RULES[id].severity}\\b`).test(rows.get(id) ?? ''))).toEqual([]);
  });
});

describe('README', () => {
  it('links only to docs that exist', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1] ?? '');
    expect(links.length).toBeGreaterThan(5);
    const missing = [];
    for (const link of links) if (!(await stat(new URL(`../../${link}`, import.meta.url)).catch(() => null))) missing.push(link);
    expect(missing).toEqual([]);
  });

  it('names every folder of src/ in "How it is built"', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const built = readme.slice(readme.indexOf('## How it is built'));
    const folders = (await readdir(new URL('../../src/', import.meta.url), { withFileTypes: true })).filter((entry) => entry.isDirectory() && entry.name !== 'types');
    expect(folders.map((entry) => entry.name).filter((name) => !built.includes(`\`${name}/\``))).toEqual([]);
  });
});
