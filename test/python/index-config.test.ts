import { describe, expect, it } from 'vitest';
import { PIP_DEFAULT_INDEX_URL, indexesForPin, poetrySources, readPipConfig, readUvConfig, type IndexEnvironment } from '../../src/python/index-config.js';
import { readPythonProject } from '../../src/python/pins.js';
import { catalog } from './support.js';

function environment(env: Record<string, string>, files: Record<string, string> = {}, platform = 'linux'): IndexEnvironment & { asked: string[] } {
  const asked: string[] = [];
  return {
    env,
    platform,
    asked,
    readFile: async (path) => {
      asked.push(path);
      return files[path] ?? null;
    },
  };
}

describe('pip configuration', () => {
  it("falls back to pip's documented default index", async () => {
    const config = await readPipConfig(environment({ HOME: '/home/u' }));
    expect(config.index).toEqual({ url: PIP_DEFAULT_INDEX_URL, origin: "pip's default index" });
    expect(config.extra).toEqual([]);
  });

  it('reads global, user and site files in order; [install] over [global]; PIP_* over every file', async () => {
    const env = environment(
      { HOME: '/home/u', VIRTUAL_ENV: '/venv' },
      {
        '/etc/xdg/pip/pip.conf': '[global]\nindex-url = https://xdg.example.test/simple\n',
        '/etc/pip.conf': '[global]\nindex_url = https://etc.example.test/simple\n',
        '/home/u/.config/pip/pip.conf': '[global]\nindex-url = https://user.example.test/simple\nextra-index-url =\n    https://a.example.test/simple\n    https://b.example.test/simple\n',
        '/venv/pip.conf': '[install]\nindex-url = https://site.example.test/simple\n',
      },
    );
    const config = await readPipConfig(env);
    expect(env.asked).toEqual(['/etc/xdg/pip/pip.conf', '/etc/pip.conf', '/home/u/.pip/pip.conf', '/home/u/.config/pip/pip.conf', '/venv/pip.conf']);
    expect(config.index).toEqual({ url: 'https://site.example.test/simple', origin: '/venv/pip.conf [install] index-url' });
    expect(config.extra.map((item) => item.url)).toEqual(['https://a.example.test/simple', 'https://b.example.test/simple']);
    const overridden = await readPipConfig({ ...env, env: { ...env.env, PIP_INDEX_URL: 'https://env.example.test/simple', PIP_EXTRA_INDEX_URL: 'https://x.example.test/simple https://y.example.test/simple' } });
    expect(overridden.index).toEqual({ url: 'https://env.example.test/simple', origin: 'PIP_INDEX_URL' });
    expect(overridden.extra.map((item) => [item.url, item.origin])).toEqual([
      ['https://x.example.test/simple', 'PIP_EXTRA_INDEX_URL'],
      ['https://y.example.test/simple', 'PIP_EXTRA_INDEX_URL'],
    ]);
  });

  it('PIP_CONFIG_FILE is read first and, when it exists, the user files are skipped; os.devnull reads nothing', async () => {
    const env = environment({ HOME: '/home/u', PIP_CONFIG_FILE: '/cfg/pip.conf' }, { '/cfg/pip.conf': '[global]\nindex-url = https://cfg.example.test/simple\n', '/home/u/.config/pip/pip.conf': '[global]\nindex-url = https://user.example.test/simple\n' });
    const config = await readPipConfig(env);
    expect(config.index.url).toBe('https://cfg.example.test/simple');
    expect(env.asked).not.toContain('/home/u/.config/pip/pip.conf');
    const none = environment({ HOME: '/home/u', PIP_CONFIG_FILE: '/dev/null' }, { '/etc/pip.conf': '[global]\nindex-url = https://etc.example.test/simple\n' });
    expect((await readPipConfig(none)).index.url).toBe(PIP_DEFAULT_INDEX_URL);
    expect(none.asked).toEqual([]);
  });

  it("uses Windows' and macOS' documented locations", async () => {
    const windows = environment({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming', USERPROFILE: 'C:\\Users\\u', PROGRAMDATA: 'C:\\ProgramData' }, {}, 'win32');
    await readPipConfig(windows);
    expect(windows.asked).toEqual(['C:\\ProgramData\\pip\\pip.ini', 'C:\\Users\\u\\pip\\pip.ini', 'C:\\Users\\u\\AppData\\Roaming\\pip\\pip.ini']);
    const mac = environment({ HOME: '/Users/u' }, {}, 'darwin');
    await readPipConfig(mac);
    expect(mac.asked).toEqual(['/Library/Application Support/pip/pip.conf', '/Users/u/.pip/pip.conf', '/Users/u/Library/Application Support/pip/pip.conf', '/Users/u/.config/pip/pip.conf']);
  });
});

describe('uv and Poetry configuration', () => {
  it('[[tool.uv.index]] entries come before the default; UV_DEFAULT_INDEX replaces the default', async () => {
    const pyproject = { tool: { uv: { index: [{ name: 'internal', url: 'https://internal.example.test/simple' }, { name: 'main', url: 'https://main.example.test/simple', default: true }, { name: 'pinned-only', url: 'https://explicit.example.test/simple', explicit: true }] } } };
    const choice = await readUvConfig(environment({ HOME: '/home/u' }), { pyproject, pyprojectFile: 'pyproject.toml', uvToml: null }, []);
    expect(choice.indexes).toEqual([
      { url: 'https://internal.example.test/simple', origin: 'pyproject.toml [tool.uv] [[index]] internal' },
      { url: 'https://main.example.test/simple', origin: 'pyproject.toml [tool.uv] [[index]] main' },
    ]);
    const fromEnv = await readUvConfig(environment({ UV_DEFAULT_INDEX: 'https://env.example.test/simple' }), { pyproject, pyprojectFile: 'pyproject.toml', uvToml: null }, []);
    expect(fromEnv.indexes.at(-1)).toEqual({ url: 'https://env.example.test/simple', origin: 'UV_DEFAULT_INDEX' });
  });

  it("a project's uv.toml wins over [tool.uv]; a user uv.toml sits below both; a broken one is a problem", async () => {
    const problems: Array<{ message: string }> = [];
    const choice = await readUvConfig(
      environment({ HOME: '/home/u' }, { '/home/u/.config/uv/uv.toml': 'index-url = "https://user.example.test/simple"\nextra-index-url = ["https://user-extra.example.test/simple"]\n', '/etc/uv/uv.toml': 'not = = toml' }),
      { pyproject: { tool: { uv: { 'index-url': 'https://pyproject.example.test/simple' } } }, pyprojectFile: 'pyproject.toml', uvToml: { file: 'uv.toml', text: 'index-url = "https://uvtoml.example.test/simple"\n' } },
      problems as never,
    );
    expect(choice.indexes.map((index) => index.url)).toEqual(['https://user-extra.example.test/simple', 'https://uvtoml.example.test/simple']);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringMatching(/^\/etc\/uv\/uv\.toml:1 cannot be parsed as TOML/)]);
  });

  it('a primary Poetry source replaces the public index; supplemental ones follow; explicit ones serve only the dependencies naming them', () => {
    const pyproject = { tool: { poetry: { source: [{ name: 'corp', url: 'https://corp.example.test/simple', priority: 'primary' }, { name: 'extra', url: 'https://extra.example.test/simple', priority: 'supplemental' }, { name: 'gw', url: 'https://gw.example.test/simple', priority: 'explicit' }] } } };
    expect(poetrySources(pyproject, 'pyproject.toml', null).indexes.map((index) => index.url)).toEqual(['https://corp.example.test/simple', 'https://extra.example.test/simple']);
    expect(poetrySources(pyproject, 'pyproject.toml', 'gw').indexes.map((index) => index.url)).toEqual(['https://gw.example.test/simple']);
    expect(poetrySources({}, 'pyproject.toml', null).indexes.map((index) => index.url)).toEqual([PIP_DEFAULT_INDEX_URL]);
  });
});

describe('the index of each pin', () => {
  it("a requirements file's --index-url wins over pip's configuration; a lock's recorded source wins over everything", async () => {
    const files: Record<string, string> = {
      'requirements.txt': '-i https://file.example.test/simple\nlitellm==1.90.2\n',
      'svc/pyproject.toml': '[project]\ndependencies = ["langfuse"]\n[tool.uv]\n',
      'svc/uv.lock': '[[package]]\nname = "langfuse"\nversion = "2.1.0"\nsource = { registry = "https://locked.example.test/simple" }\n',
    };
    const project = await readPythonProject({ files: Object.keys(files), readFile: async (file) => files[file] ?? null, catalog });
    const env = environment({ PIP_INDEX_URL: 'https://env.example.test/simple' });
    const choiceOf = async (name: string) => {
      const pin = project.pins.find((item) => item.requirement.name === name);
      return pin ? indexesForPin(pin, project, env, []) : null;
    };
    const [fromFile, fromLock] = await Promise.all([choiceOf('litellm'), choiceOf('langfuse')]);
    expect(fromFile?.indexes).toEqual([{ url: 'https://file.example.test/simple', origin: 'requirements.txt --index-url' }]);
    expect(fromLock?.indexes).toEqual([{ url: 'https://locked.example.test/simple', origin: 'svc/uv.lock (recorded source)' }]);
  });
});
