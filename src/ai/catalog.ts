import catalogData from './catalog.json' with { type: 'json' };
import type { AiTier } from './tiers.js';

export type AiRole =
  | 'gateway-server'
  | 'gateway-client'
  | 'in-process-wrapper'
  | 'otel-instrumentation'
  | 'passive-metadata'
  | 'cost-calculator'
  | 'provider-sdk'
  | 'framework';

export type RequestPath = 'network-hop' | 'in-process' | 'none' | 'unknown';
export type HandlesKeys = 'forwards' | 'in-process' | 'none' | 'unknown';
export type SendsPrompts = 'default' | 'opt-in' | 'none' | 'unknown';

export interface ToolAnswers {
  requestPath: RequestPath;
  handlesKeys: HandlesKeys;
  sendsPrompts: SendsPrompts;
  singlePointOfFailure: boolean | null;
}

export interface CatalogPackage {
  name: string;
  role?: AiRole;
  repository?: string;
}

export interface CatalogTool {
  id: string;
  name: string;
  vendor: string;
  tier: AiTier;
  role: AiRole;
  packages: CatalogPackage[];
  pythonPackages: string[];
  images: string[];
  endpoints: string[];
  envVars: string[];
  headers: string[];
  defaults: ToolAnswers;
  modes: Array<Partial<ToolAnswers> & { when: string }>;
  summary: string;
  evidence: string[];
  sources: string[];
  reviewed: string;
}

export interface Catalog {
  schemaVersion: number;
  reviewed: string;
  tools: CatalogTool[];
}

export interface CatalogMatch {
  tool: CatalogTool;
  package: CatalogPackage;
  role: AiRole;
}

/** Looks packages up by npm name. Built once per catalog. */
export class CatalogIndex {
  private readonly byPackage = new Map<string, CatalogMatch>();

  constructor(readonly catalog: Catalog) {
    for (const tool of catalog.tools) {
      for (const pkg of tool.packages) this.byPackage.set(pkg.name, { tool, package: pkg, role: pkg.role ?? tool.role });
    }
  }

  lookup(packageName: string): CatalogMatch | null {
    return this.byPackage.get(packageName) ?? null;
  }
}

export const builtinCatalog = catalogData as unknown as Catalog;
