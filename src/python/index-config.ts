import { parseIni } from './ini.js';
import type { PythonFileProblem, PythonPin } from './model.js';
import type { PythonProject } from './pins.js';
import { dirName, joinPath } from './project-files.js';
import { parseToml, record, strings, stringOr } from './toml.js';

/**
 * pip's documented default `index-url`: the only place the public index is named. Every other
 * index comes from the project's or the user's configuration.
 */
export const PIP_DEFAULT_INDEX_URL = 'https://pypi.org/simple';

/** One index and where its setting was read. */
export interface IndexSetting {
  url: string;
  /** `PIP_INDEX_URL`, `/etc/pip.conf [global] index-url`, `pyproject.toml [[tool.uv.index]] internal`, `pip's default`, … */
  origin: string;
}

export interface IndexChoice {
  /** In the order the installer asks them. */
  indexes: IndexSetting[];
  /** pip merges every index (the best version wins); uv and Poetry take the first index that has the project. */
  strategy: 'merge' | 'first-match';
  /** `--no-index` / `PIP_NO_INDEX`: nothing is fetched from an index. */
  noIndex: boolean;
}

/** What the environment offers; the core never reads `process.env` or the disk by itself. */
export interface IndexEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  /** Reads an absolute path (user and global configuration); null when absent. */
  readFile(path: string): Promise<string | null>;
}

export interface PipConfig {
  index: IndexSetting;
  extra: IndexSetting[];
  noIndex: boolean;
  /** Configuration files read, in loading order. */
  files: string[];
}

/**
 * pip's configuration: the file named by PIP_CONFIG_FILE first, then the global files, the user
 * files (skipped when PIP_CONFIG_FILE names an existing file) and the site file; later files override
 * earlier ones, `[install]` overrides `[global]`, and PIP_* variables override every file.
 */
export async function readPipConfig(environment: IndexEnvironment): Promise<PipConfig> {
  const { env } = environment;
  const settings: Record<string, IndexSetting> = {};
  let noIndex = false;
  const files: string[] = [];
  const configFile = env.PIP_CONFIG_FILE;
  const devnull = environment.platform === 'win32' ? 'nul' : '/dev/null';
  if (configFile?.toLowerCase() !== devnull) {
    const envText = configFile ? await environment.readFile(configFile) : null;
    const groups: string[][] = [configFile ? [configFile] : [], pipGlobalFiles(environment), envText === null ? pipUserFiles(environment) : [], pipSiteFiles(environment)];
    for (const path of groups.flat()) {
      const text = path === configFile ? envText : await environment.readFile(path);
      if (text === null) continue;
      files.push(path);
      const sections = parseIni(text);
      for (const section of ['global', 'install']) {
        const values = sections.get(section);
        if (!values) continue;
        const index = values.get('index-url');
        if (index) settings.index = { url: index, origin: `${path} [${section}] index-url` };
        const extra = values.get('extra-index-url');
        if (extra !== undefined) settings.extra = { url: extra, origin: `${path} [${section}] extra-index-url` };
        const no = values.get('no-index');
        if (no !== undefined) noIndex = isTrue(no);
      }
    }
  }
  if (env.PIP_INDEX_URL) settings.index = { url: env.PIP_INDEX_URL, origin: 'PIP_INDEX_URL' };
  if (env.PIP_EXTRA_INDEX_URL !== undefined) settings.extra = { url: env.PIP_EXTRA_INDEX_URL, origin: 'PIP_EXTRA_INDEX_URL' };
  if (env.PIP_NO_INDEX !== undefined) noIndex = isTrue(env.PIP_NO_INDEX);
  return {
    index: settings.index ?? { url: PIP_DEFAULT_INDEX_URL, origin: "pip's default index" },
    extra: settings.extra ? splitUrls(settings.extra.url).map((url) => ({ url, origin: settings.extra?.origin ?? '' })) : [],
    noIndex,
    files,
  };
}

function pipGlobalFiles({ env, platform }: IndexEnvironment): string[] {
  if (platform === 'win32') return [`${env.PROGRAMDATA ?? 'C:\\ProgramData'}\\pip\\pip.ini`];
  if (platform === 'darwin') return ['/Library/Application Support/pip/pip.conf'];
  const xdgDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean);
  return [...xdgDirs.map((dir) => `${dir}/pip/pip.conf`), '/etc/pip.conf'];
}

function pipUserFiles({ env, platform }: IndexEnvironment): string[] {
  const home = env.HOME ?? env.USERPROFILE;
  if (platform === 'win32') {
    return [...(home ? [`${home}\\pip\\pip.ini`] : []), ...(env.APPDATA ? [`${env.APPDATA}\\pip\\pip.ini`] : [])];
  }
  if (!home) return [];
  const xdg = env.XDG_CONFIG_HOME || `${home}/.config`;
  const user = platform === 'darwin' ? [`${home}/Library/Application Support/pip/pip.conf`, `${xdg}/pip/pip.conf`] : [`${xdg}/pip/pip.conf`];
  return [`${home}/.pip/pip.conf`, ...user];
}

function pipSiteFiles({ env, platform }: IndexEnvironment): string[] {
  return env.VIRTUAL_ENV ? [`${env.VIRTUAL_ENV}${platform === 'win32' ? '\\pip.ini' : '/pip.conf'}`] : [];
}

function isTrue(value: string): boolean {
  return /^(1|true|yes|on)$/i.test(value.trim());
}

function splitUrls(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

export interface UvConfigSources {
  /** The project's pyproject.toml document (its `[tool.uv]`), if any. */
  pyproject: Record<string, unknown> | null;
  pyprojectFile: string | null;
  /** The project's uv.toml beside it, which takes precedence over `[tool.uv]`. */
  uvToml: { file: string; text: string } | null;
}

/**
 * uv's indexes: UV_DEFAULT_INDEX / UV_INDEX_URL and UV_INDEX / UV_EXTRA_INDEX_URL over the project's
 * uv.toml or `[tool.uv]`, over the user's and the system's uv.toml (unless UV_NO_CONFIG; UV_CONFIG_FILE
 * replaces discovery). Named `[[index]]` entries and extra indexes are asked before the default index.
 */
export async function readUvConfig(environment: IndexEnvironment, sources: UvConfigSources, problems: PythonFileProblem[]): Promise<IndexChoice> {
  const { env } = environment;
  const layers: Array<{ origin: string; settings: Record<string, unknown> }> = [];
  const addToml = (origin: string, text: string | null, table: (doc: Record<string, unknown>) => Record<string, unknown>): void => {
    if (text === null) return;
    const parsed = parseToml(origin, text);
    if (!parsed.ok) return void problems.push(parsed.problem);
    layers.push({ origin, settings: table(parsed.doc) });
  };
  if (!env.UV_NO_CONFIG) {
    if (env.UV_CONFIG_FILE) {
      addToml(env.UV_CONFIG_FILE, await environment.readFile(env.UV_CONFIG_FILE), (doc) => doc);
    } else {
      for (const path of uvSystemFiles(environment)) addToml(path, await environment.readFile(path), (doc) => doc);
      for (const path of uvUserFiles(environment)) addToml(path, await environment.readFile(path), (doc) => doc);
      if (sources.uvToml) addToml(sources.uvToml.file, sources.uvToml.text, (doc) => doc);
      else if (sources.pyproject && sources.pyprojectFile) layers.push({ origin: `${sources.pyprojectFile} [tool.uv]`, settings: record(record(sources.pyproject.tool).uv) });
    }
  }
  let defaultIndex: IndexSetting | null = null;
  let extras: IndexSetting[] = [];
  for (const { origin, settings } of layers) {
    const named = (Array.isArray(settings.index) ? settings.index : []).map(record).filter((entry) => typeof entry.url === 'string' && entry.explicit !== true);
    const layerExtras: IndexSetting[] = [];
    for (const entry of named) {
      const setting = { url: String(entry.url), origin: `${origin} [[index]] ${stringOr(entry.name) ?? ''}`.trim() };
      if (entry.default === true) defaultIndex = setting;
      else layerExtras.push(setting);
    }
    const indexUrl = stringOr(settings['index-url']);
    if (indexUrl) defaultIndex = { url: indexUrl, origin: `${origin} index-url` };
    layerExtras.push(...strings(settings['extra-index-url']).map((url) => ({ url, origin: `${origin} extra-index-url` })));
    if (layerExtras.length > 0) extras = layerExtras;
  }
  const envDefault = env.UV_DEFAULT_INDEX ?? env.UV_INDEX_URL;
  if (envDefault) defaultIndex = { url: envDefault, origin: env.UV_DEFAULT_INDEX ? 'UV_DEFAULT_INDEX' : 'UV_INDEX_URL' };
  const envExtra = env.UV_INDEX ?? env.UV_EXTRA_INDEX_URL;
  if (envExtra) extras = splitUrls(envExtra).map((url) => ({ url: url.replace(/^[^=]+=(?=[a-z]+:\/\/)/i, ''), origin: env.UV_INDEX ? 'UV_INDEX' : 'UV_EXTRA_INDEX_URL' }));
  return { indexes: [...extras, defaultIndex ?? { url: PIP_DEFAULT_INDEX_URL, origin: "uv's default index (pip's default)" }], strategy: 'first-match', noIndex: false };
}

function uvUserFiles({ env, platform }: IndexEnvironment): string[] {
  if (platform === 'win32') return env.APPDATA ? [`${env.APPDATA}\\uv\\uv.toml`] : [];
  const home = env.HOME;
  const xdg = env.XDG_CONFIG_HOME || (home ? `${home}/.config` : null);
  return xdg ? [`${xdg}/uv/uv.toml`] : [];
}

function uvSystemFiles({ env, platform }: IndexEnvironment): string[] {
  if (platform === 'win32') return [`${env.PROGRAMDATA ?? 'C:\\ProgramData'}\\uv\\uv.toml`];
  const xdgDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean);
  return [...xdgDirs.map((dir) => `${dir}/uv/uv.toml`), '/etc/uv/uv.toml'];
}

/**
 * Poetry's `[[tool.poetry.source]]`: primary sources (also the older `default`, and sources without
 * a priority) replace the public index; supplemental and secondary ones are asked after it; explicit
 * ones only for dependencies that name them.
 */
export function poetrySources(pyproject: Record<string, unknown>, file: string, explicitFor: string | null): IndexChoice {
  const sources = (Array.isArray(record(record(pyproject.tool).poetry).source) ? (record(record(pyproject.tool).poetry).source as unknown[]) : []).map(record);
  const setting = (entry: Record<string, unknown>): IndexSetting => ({ url: String(entry.url), origin: `${file} [[tool.poetry.source]] ${stringOr(entry.name) ?? ''}`.trim() });
  const withUrl = sources.filter((entry) => typeof entry.url === 'string');
  const priority = (entry: Record<string, unknown>): string => (entry.default === true ? 'primary' : stringOr(entry.priority) ?? (entry.secondary === true ? 'supplemental' : 'primary'));
  if (explicitFor) {
    const named = withUrl.find((entry) => entry.name === explicitFor);
    if (named) return { indexes: [setting(named)], strategy: 'first-match', noIndex: false };
  }
  const primary = withUrl.filter((entry) => ['primary', 'default'].includes(priority(entry))).map(setting);
  const supplemental = withUrl.filter((entry) => ['supplemental', 'secondary'].includes(priority(entry))).map(setting);
  const first = primary.length > 0 ? primary : [{ url: PIP_DEFAULT_INDEX_URL, origin: "Poetry's default index (pip's default)" }];
  return { indexes: [...first, ...supplemental], strategy: 'first-match', noIndex: false };
}

/** PDM's `[[tool.pdm.source]]`: asked in order, the public index first unless a source named `pypi` replaces it. */
export function pdmSources(pyproject: Record<string, unknown>, file: string): IndexChoice {
  const sources = (Array.isArray(record(record(pyproject.tool).pdm).source) ? (record(record(pyproject.tool).pdm).source as unknown[]) : []).map(record).filter((entry) => typeof entry.url === 'string');
  const settings = sources.map((entry) => ({ url: String(entry.url), origin: `${file} [[tool.pdm.source]] ${stringOr(entry.name) ?? ''}`.trim(), name: stringOr(entry.name) }));
  const replacesDefault = settings.some((entry) => entry.name === 'pypi');
  const indexes = [...(replacesDefault ? [] : [{ url: PIP_DEFAULT_INDEX_URL, origin: "PDM's default index (pip's default)" }]), ...settings.map(({ url, origin }) => ({ url, origin }))];
  return { indexes, strategy: 'merge', noIndex: false };
}

/** Which installer reads a pin, and so which configuration names its index. */
export type Installer = 'pip' | 'uv' | 'poetry' | 'pdm' | 'pipenv';

export function installerOf(pin: PythonPin, project: PythonProject): Installer {
  const format = pin.pinnedBy?.format;
  if (format === 'uv.lock') return 'uv';
  if (format === 'poetry.lock') return 'poetry';
  if (format === 'pdm.lock') return 'pdm';
  if (format === 'Pipfile.lock' || pin.requirement.source === 'pipfile') return 'pipenv';
  if (pin.requirement.source !== 'pyproject') return 'pip';
  const tool = record(record(project.pyprojects.get(pin.requirement.file)).tool);
  if ('poetry' in tool) return 'poetry';
  if ('uv' in tool) return 'uv';
  if ('pdm' in tool) return 'pdm';
  return 'pip';
}

/**
 * The indexes a pin is installed from: the index its lock recorded wins; otherwise the installer's
 * configuration, with a requirements file's or Dockerfile's own options over pip's.
 */
export async function indexesForPin(pin: PythonPin, project: PythonProject, environment: IndexEnvironment, problems: PythonFileProblem[]): Promise<IndexChoice> {
  if (pin.lockIndex) return { indexes: [{ url: pin.lockIndex, origin: `${pin.pinnedBy?.file ?? 'lockfile'} (recorded source)` }], strategy: 'first-match', noIndex: false };
  const installer = installerOf(pin, project);
  const file = pin.requirement.file;
  const pyprojectFile = joinPath(dirName(file), 'pyproject.toml');
  const pyproject = project.pyprojects.get(pyprojectFile) ?? null;
  switch (installer) {
    case 'uv': {
      const uvTomlFile = joinPath(dirName(file), 'uv.toml');
      const uvText = project.uvTomls.get(uvTomlFile);
      return readUvConfig(environment, { pyproject, pyprojectFile, uvToml: uvText === undefined ? null : { file: uvTomlFile, text: uvText } }, problems);
    }
    case 'poetry':
      return pyproject ? poetrySources(pyproject, pyprojectFile, poetryExplicitSource(pyproject, pin.requirement.normalized)) : pipChoice(await readPipConfig(environment), null);
    case 'pdm':
      return pyproject ? pdmSources(pyproject, pyprojectFile) : pipChoice(await readPipConfig(environment), null);
    case 'pipenv': {
      const pipfile = project.pipfileSources.get(joinPath(dirName(file), 'Pipfile')) ?? [];
      if (pipfile.length > 0) return { indexes: pipfile.map((source) => ({ url: source.url, origin: `${joinPath(dirName(file), 'Pipfile')} [[source]] ${source.name}`.trim() })), strategy: 'merge', noIndex: false };
      return pipChoice(await readPipConfig(environment), null);
    }
    case 'pip': {
      const options = project.fileIndexOptions.get(file) ?? null;
      const dockerEnv = options?.env ?? {};
      const pipEnvironment = Object.keys(dockerEnv).length > 0 ? { ...environment, env: { ...environment.env, ...dockerEnv } } : environment;
      return pipChoice(await readPipConfig(pipEnvironment), options ? { ...options, file } : null);
    }
  }
}

function pipChoice(config: PipConfig, options: { indexUrl: string | null; extraIndexUrls: string[]; noIndex: boolean; file: string } | null): IndexChoice {
  const index = options?.indexUrl ? { url: options.indexUrl, origin: `${options.file} --index-url` } : config.index;
  const extra = [...config.extra, ...(options?.extraIndexUrls ?? []).map((url) => ({ url, origin: `${options?.file ?? ''} --extra-index-url` }))];
  return { indexes: [index, ...extra], strategy: 'merge', noIndex: config.noIndex || (options?.noIndex ?? false) };
}

function poetryExplicitSource(pyproject: Record<string, unknown>, normalized: string): string | null {
  const poetry = record(record(pyproject.tool).poetry);
  const tables = [record(poetry.dependencies), ...Object.values(record(poetry.group)).map((group) => record(record(group).dependencies))];
  for (const table of tables) {
    for (const [name, value] of Object.entries(table)) {
      if (name.toLowerCase().replace(/[-_.]+/g, '-') === normalized) return stringOr(record(value).source);
    }
  }
  return null;
}
