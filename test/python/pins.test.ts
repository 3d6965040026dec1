import { describe, expect, it } from 'vitest';
import { parsePythonLock } from '../../src/python/locks.js';
import { readPythonProject } from '../../src/python/pins.js';
import { parseRequirementsFile } from '../../src/python/requirements-file.js';
import { catalog } from './support.js';

async function pins(files: Record<string, string>) {
  const project = await readPythonProject({ files: Object.keys(files).sort(), readFile: async (file) => files[file] ?? null, catalog });
  return project;
}

const HASH = `sha256:${'a'.repeat(64)}`;
const OTHER_HASH = `sha256:${'b'.repeat(64)}`;

describe('requirements files', () => {
  it('reads continuations, hashes, markers, extras and index options, each requirement at its first line', () => {
    const parsed = parseRequirementsFile(
      'requirements.txt',
      ['# pinned by pip-compile', '--index-url https://index.example.test/simple', '--extra-index-url=https://extra.example.test/simple', 'litellm[proxy]==1.90.2 \\', `    --hash=${HASH} \\`, `    --hash ${OTHER_HASH}`, 'openai>=1.40 ; python_version >= "3.9"  # sdk', '-r base.txt', '-c constraints.txt', '-e ./local', 'not a requirement !!'].join('\n'),
    );
    expect(parsed.requirements.map((item) => [item.name, item.extras, item.specifier, item.exactVersion, item.hashes, item.line, item.marker])).toEqual([
      ['litellm', ['proxy'], '==1.90.2', '1.90.2', [HASH, OTHER_HASH], 4, null],
      ['openai', [], '>=1.40', null, [], 7, 'python_version >= "3.9"'],
    ]);
    expect(parsed.indexUrl).toBe('https://index.example.test/simple');
    expect(parsed.extraIndexUrls).toEqual(['https://extra.example.test/simple']);
    expect(parsed.includes).toEqual([
      { kind: 'requirements', path: 'base.txt', line: 8 },
      { kind: 'constraints', path: 'constraints.txt', line: 9 },
    ]);
    expect(parsed.problems.map((problem) => problem.line)).toEqual([11]);
  });

  it('follows -r includes and -c constraints; an unreadable include is a problem', async () => {
    const project = await pins({
      'app/requirements.txt': '-r ../shared/base.pip\n-c constraints.txt\nlitellm\n-r missing.txt\n',
      'app/constraints.txt': 'litellm==1.90.2\n',
      'shared/base.pip': 'langfuse==2.1.0\n',
    });
    expect(project.pins.map((pin) => [pin.requirement.name, pin.requirement.file, pin.requirement.line, pin.pinning, pin.version, pin.pinnedBy?.file ?? null])).toEqual([
      ['litellm', 'app/requirements.txt', 3, 'constrained', '1.90.2', 'app/constraints.txt'],
      ['langfuse', 'shared/base.pip', 1, 'exact', '2.1.0', null],
    ]);
    expect(project.problems.map((problem) => problem.message)).toEqual(['app/requirements.txt:4: -r missing.txt cannot be read']);
  });

  it('requirements.in is locked by the requirements.txt compiled beside it', async () => {
    const project = await pins({ 'requirements.in': 'litellm\n', 'requirements.txt': `litellm==1.90.2 --hash=${HASH}\n` });
    const fromIn = project.pins.find((pin) => pin.requirement.file === 'requirements.in');
    expect(fromIn).toMatchObject({ pinning: 'locked', version: '1.90.2', pinnedBy: { file: 'requirements.txt', line: 1, format: 'requirements' }, hashes: [HASH] });
    expect(project.pins.find((pin) => pin.requirement.file === 'requirements.txt')?.pinning).toBe('hashed');
  });
});

const UV_LOCK = `version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "litellm"
version = "1.90.2"
source = { registry = "https://index.example.test/simple" }
sdist = { url = "https://files.example.test/litellm-1.90.2.tar.gz", hash = "${HASH}", size = 1 }
wheels = [
    { url = "https://files.example.test/litellm-1.90.2-py3-none-any.whl", hash = "${OTHER_HASH}", size = 1 },
]
`;

describe('lockfiles', () => {
  it('a uv.lock beside pyproject.toml locks its requirement: one result at the requirement, naming the lock line', async () => {
    const project = await pins({ 'pyproject.toml': '[project]\nname = "app"\ndependencies = [\n  "litellm>=1.80",\n  "openai",\n]\n', 'uv.lock': UV_LOCK });
    const litellm = project.pins.find((pin) => pin.requirement.normalized === 'litellm');
    expect(litellm).toMatchObject({ pinning: 'locked', version: '1.90.2', requirement: { file: 'pyproject.toml', line: 4 }, pinnedBy: { file: 'uv.lock', line: 10, format: 'uv.lock' }, lockIndex: 'https://index.example.test/simple', hashes: [HASH, OTHER_HASH], lockedFiles: ['litellm-1.90.2.tar.gz', 'litellm-1.90.2-py3-none-any.whl'] });
    expect(litellm?.role).toBe('framework');
    expect(project.pins.filter((pin) => pin.requirement.normalized === 'litellm')).toHaveLength(1);
    // openai is required but not locked: the lock is out of date, said once, never a silent pass
    expect(project.pins.find((pin) => pin.requirement.normalized === 'openai')?.pinning).toBe('range');
    expect(project.problems.map((problem) => problem.message)).toEqual(['uv.lock does not lock openai required at pyproject.toml:5: the lock is out of date']);
  });

  it('a member of a uv workspace is locked by the uv.lock at the workspace root', async () => {
    const project = await pins({
      'pyproject.toml': '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["services/*"]\n',
      'uv.lock': UV_LOCK,
      'services/gateway/pyproject.toml': '[project]\nname = "gateway"\ndependencies = ["litellm[proxy]"]\n',
    });
    expect(project.pins[0]).toMatchObject({ pinning: 'locked', version: '1.90.2', role: 'gateway-server', pinnedBy: { file: 'uv.lock' }, requirement: { file: 'services/gateway/pyproject.toml', line: 3 } });
  });

  it('a folder outside the workspace members is not locked by the root uv.lock', async () => {
    const project = await pins({
      'pyproject.toml': '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["services/*"]\n',
      'uv.lock': UV_LOCK,
      'tools/pyproject.toml': '[project]\nname = "tools"\ndependencies = ["litellm"]\n',
    });
    expect(project.pins[0]?.pinning).toBe('range');
  });

  it('poetry.lock, pdm.lock and Pipfile.lock lock their manifests', async () => {
    const project = await pins({
      'a/pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nlitellm = { version = "^1.80", extras = ["proxy"] }\n',
      'a/poetry.lock': `[[package]]\nname = "litellm"\nversion = "1.90.2"\nfiles = [\n  {file = "litellm-1.90.2.tar.gz", hash = "${HASH}"},\n]\n[package.source]\ntype = "legacy"\nurl = "https://private.example.test/simple"\nreference = "private"\n`,
      'b/pyproject.toml': '[project]\ndependencies = ["langfuse>=2"]\n[tool.pdm]\n',
      'b/pdm.lock': `[[package]]\nname = "langfuse"\nversion = "2.1.0"\nfiles = [\n  {file = "langfuse-2.1.0.tar.gz", hash = "${HASH}"},\n]\n`,
      'c/Pipfile': '[packages]\nportkey-ai = "*"\n',
      'c/Pipfile.lock': JSON.stringify({ _meta: { sources: [{ name: 'pypi', url: 'https://mirror.example.test/simple' }] }, default: { 'portkey-ai': { hashes: [HASH], index: 'pypi', version: '==1.2.3' } } }, null, 2),
    });
    expect(project.pins.map((pin) => [pin.requirement.file, pin.requirement.line, pin.pinning, pin.version, pin.pinnedBy?.format, pin.lockIndex, pin.role])).toEqual([
      ['a/pyproject.toml', 3, 'locked', '1.90.2', 'poetry.lock', 'https://private.example.test/simple', 'gateway-server'],
      ['b/pyproject.toml', 2, 'locked', '2.1.0', 'pdm.lock', null, 'in-process-wrapper'],
      ['c/Pipfile', 2, 'locked', '1.2.3', 'Pipfile.lock', 'https://mirror.example.test/simple', 'gateway-client'],
    ]);
    expect(project.problems).toEqual([]);
  });

  it('a lockfile that cannot be parsed is a problem naming it, and the requirement stays unpinned', async () => {
    const project = await pins({ 'pyproject.toml': '[project]\ndependencies = ["litellm"]\n', 'uv.lock': `${UV_LOCK}\nthis line is not toml\n` });
    expect(project.pins[0]?.pinning).toBe('range');
    expect(project.problems.map((problem) => problem.message)).toEqual([expect.stringMatching(/^uv\.lock:18 cannot be parsed as TOML/)]);
  });

  it('lock entries without a version are problems at their line; local uv sources are not', () => {
    const parsed = parsePythonLock('poetry.lock', 'poetry.lock', '[[package]]\nname = "litellm"\n\n[[package]]\nname = "openai"\nversion = "1.0.0"\n');
    expect(parsed.problems).toEqual([{ file: 'poetry.lock', line: 2, message: 'poetry.lock:2: package entry 1 has no version' }]);
    expect(parsed.packages.map((item) => [item.name, item.line])).toEqual([['openai', 5]]);
    expect(parsePythonLock('Pipfile.lock', 'Pipfile.lock', '{"default": {').problems[0]?.message).toMatch(/^Pipfile\.lock cannot be parsed as JSON/);
  });
});

describe('LiteLLM: library or proxy server', () => {
  it('a bare requirement is the library; a command starting the proxy makes it the server', async () => {
    const library = await pins({ 'requirements.txt': 'litellm==1.90.2\n' });
    expect(library.pins[0]).toMatchObject({ role: 'framework', tool: 'LiteLLM Proxy (AI gateway server)' });
    const proxy = await pins({ 'gateway/requirements.txt': 'litellm==1.90.2\n', 'gateway/Dockerfile': 'FROM python:3.12\nRUN pip install -r requirements.txt\nCMD ["litellm", "--config", "/app/config.yaml"]\n' });
    expect(proxy.pins[0]).toMatchObject({ role: 'gateway-server', roleEvidence: expect.stringContaining('gateway/Dockerfile:3') });
  });

  it('reads Dockerfile.prod but not source files named after Dockerfiles', async () => {
    const project = await pins({ 'Dockerfile.prod': 'RUN pip install litellm==1.90.2\n', 'src/dockerfile.ts': '// RUN pip install `litellm` here\n' });
    expect(project.pins.map((pin) => pin.requirement.file)).toEqual(['Dockerfile.prod']);
    expect(project.problems).toEqual([]);
  });

  it('Dockerfile pip install lines are requirements at their own line, with the ENV index', async () => {
    const project = await pins({ Dockerfile: 'FROM python:3.12\nENV PIP_INDEX_URL=https://index.example.test/simple\nRUN pip install --no-cache-dir \\\n    "litellm[proxy]==1.90.2" \\\n    langfuse && echo done\n' });
    expect(project.pins.map((pin) => [pin.requirement.name, pin.requirement.line, pin.pinning, pin.role])).toEqual([
      ['litellm', 4, 'exact', 'gateway-server'],
      ['langfuse', 5, 'range', 'in-process-wrapper'],
    ]);
    expect(project.fileIndexOptions.get('Dockerfile')?.env).toEqual({ PIP_INDEX_URL: 'https://index.example.test/simple' });
  });
});
