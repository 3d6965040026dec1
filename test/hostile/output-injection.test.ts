import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureProject, type ServedProject } from '../helpers/ai-app.js';
import { cli } from '../helpers/cli.js';

// what an attacker writes into a deprecation message or a package.json name
const HOSTILE =
  '\u001b[2J\u001b[31mpwned\r\n::error::FORGED\n  ::add-mask::x\n::stop-commands::tok\u009b31m\u202e ' +
  '<img src=x onerror=alert(1)> [click](https://evil.test/x) ![i](https://evil.test/i.png) @octocat #1 www.evil.test';

const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

let served: ServedProject;
let out: string;
beforeAll(async () => {
  served = await serveFixtureProject('projects/ai-app', {
    documents: (docs) => {
      const express = docs.express;
      for (const manifest of Object.values(express?.versions ?? {})) manifest.deprecated = HOSTILE;
      return docs;
    },
  });
  const manifestFile = join(served.dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  await writeFile(manifestFile, JSON.stringify({ ...manifest, name: `::error::NAME${HOSTILE}` }, null, 2));
  // a source file whose name and provider choice carry the same text: an unresolved base URL and an offered route
  await mkdir(join(served.dir, 'src'), { recursive: true });
  const label = JSON.stringify(`openrouter${HOSTILE}`);
  await writeFile(
    join(served.dir, 'src', `llm${HOSTILE.replace(/[/\n\r]/g, '_')}-client.ts`),
    [
      "import OpenAI from 'openai';",
      'export const client = new OpenAI({ baseURL: process.env.HOSTILE_UNSET_BASE });',
      'export async function ask(provider: string, body: string) {',
      '  switch (provider) {',
      `    case ${label}: return fetch('https://openrouter.ai/api/v1/chat/completions', { method: 'POST', body });`,
      "    case 'anthropic': return fetch('https://api.anthropic.com/v1/messages', { method: 'POST', body });",
      '  }',
      '}',
    ].join('\n'),
  );
  out = await mkdtemp(join(tmpdir(), 'aca-hostile-'));
});
afterAll(async () => {
  await served.close();
  await rm(out, { recursive: true, force: true });
});

/** Lines the GitHub runner would take as workflow commands (it trims leading blanks). */
function commandLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trimStart().startsWith('::'));
}

describe('untrusted text in the outputs', () => {
  it('text report in GitHub Actions: no control character, no forged workflow command; the Markdown summary is inert', async () => {
    const summary = join(out, 'summary.md');
    await writeFile(summary, '');
    const run = await cli([served.dir], { ...served.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('pwned');
    // the lines that print the hostile file name and choice are there, escaped
    expect(run.stdout).toMatch(/unresolved: .*HOSTILE_UNSET_BASE/);
    expect(run.stdout).toMatch(/offered only: taken when the provider picked at run time is 'openrouter/);
    expect(run.stdout).not.toMatch(CONTROLS);
    expect(run.stderr).not.toMatch(CONTROLS);
    // only our own annotations start a line with `::`; their data is escaped by the runner's rules
    for (const line of commandLines(run.stdout)) expect(line).toMatch(/^::(error|warning|notice) (file|title)=/);
    expect(run.stdout).not.toMatch(/^\s*::(error::|add-mask|stop-commands)/m);
    const md = await readFile(summary, 'utf8');
    expect(md).toContain('pwned');
    expect(md).not.toMatch(CONTROLS);
    // outside code spans (a file name is one: Markdown in it is not rendered)
    const rendered = md.replace(/(`+)[^`]*?\1/g, '`…`');
    expect(rendered).not.toMatch(/<img|(?<!\\)\](?<!\\)\(|(?<!\\)\[|https:\/\/evil|www\.evil|@octocat|#1\b/);
    for (const line of commandLines(md)) expect(line).toBe('never');
  });

  it('JSON and SARIF keep the text exactly (it parses back) but hold no raw control bytes', async () => {
    const json = join(out, 'r.json');
    const sarif = join(out, 'r.sarif');
    const run = await cli([served.dir, '--json', '-o', `sarif=${sarif}`, '-o', `json=${json}`], served.env);
    expect(run.code).toBe(1);
    for (const file of [json, sarif]) expect(await readFile(file, 'utf8')).not.toMatch(/[\u007f-\u009f\u202e]/);
    const report = JSON.parse(await readFile(json, 'utf8')) as { packages: Array<{ name: string; facts: { deprecated?: string } }> };
    expect(report.packages.find((pkg) => pkg.name === 'express')?.facts.deprecated).toBe(HOSTILE);
    expect(run.stderr).not.toMatch(CONTROLS);
  });
});
