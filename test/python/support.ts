import { CatalogIndex, builtinCatalog } from '../../src/ai/catalog.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { allPythonFindings, pythonErrors } from '../../src/checks/python-findings.js';
import { runPythonStage, type GatewayImage, type PythonStageResult } from '../../src/python/stage.js';
import type { Finding } from '../../src/model/finding.js';
import type { ReportError } from '../../src/model/report-error.js';

export const catalog = new CatalogIndex(builtinCatalog);

export const NO_RETRY = { retries: 0, factor: 1, minTimeout: 1, maxTimeout: 1 };

export interface RunOptions {
  files: Record<string, string>;
  env?: Record<string, string>;
  /** Absolute-path configuration files (pip.conf, uv.toml). */
  configFiles?: Record<string, string>;
  trustedRoot: unknown;
  now: Date;
  cacheDir?: string | null;
  offline?: boolean;
  images?: GatewayImage[];
}

/** The Python stage and its checks over an in-memory project, against whatever index the env names. */
export async function auditPython(options: RunOptions): Promise<{ stage: PythonStageResult; findings: Finding[]; errors: ReportError[] }> {
  const stage = await runPythonStage({
    files: Object.keys(options.files).sort(),
    readFile: async (file) => options.files[file] ?? null,
    catalog,
    environment: { env: options.env ?? {}, platform: 'linux', readFile: async (path) => options.configFiles?.[path] ?? null },
    client: { cacheDir: options.cacheDir ?? null, offline: options.offline ?? false, retry: NO_RETRY, timeoutMs: 5000 },
    trustRoot: async () => options.trustedRoot,
    fetchFacts: true,
    images: options.images ?? [],
    resolveImages: true,
    oci: { retry: NO_RETRY, timeoutMs: 5000 },
  });
  const findings = allPythonFindings({ subjects: stage.subjects, images: stage.images, policy: defaultPolicy(), now: options.now });
  return { stage, findings, errors: [...stage.errors, ...pythonErrors(stage.subjects)] };
}

export function hoursBefore(now: Date, hours: number): string {
  return new Date(now.getTime() - hours * 3600_000).toISOString();
}
