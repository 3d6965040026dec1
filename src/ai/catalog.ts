import catalogData from './catalog.json' with { type: 'json' };
import { isSelfHostedHost } from './hosts.js';
import type { AiTier } from '../model/tier.js';
import satisfies from 'semver/functions/satisfies.js';

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
  /** Answers for this package when they differ from the tool's (e.g. a tool's passive SDK next to its proxy). */
  defaults?: ToolAnswers;
  /** The releases (a semver range) the answers hold for; other releases are read from their code. */
  versions?: string;
}

/**
 * A machine-readable condition for a mode; every field given must hold. Modes without a
 * trigger are documentation only (their `when` is prose) and never change an answer.
 */
export interface ModeTrigger {
  /** A `.env*` file defines this variable (set to `value` when given). */
  env?: string;
  value?: boolean;
  /** The project calls this function, imported from one of the tool's packages. */
  call?: string;
  /** The project points the tool at a host outside its catalogued endpoints. */
  selfHosted?: boolean;
  /** The project sets this header. */
  header?: string;
}

export interface CatalogMode extends Partial<ToolAnswers> {
  when: string;
  trigger?: ModeTrigger;
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
  modes: CatalogMode[];
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

/** Looks tools up by npm name, host, image, Python package or header. Built once per catalog. */
export class CatalogIndex {
  private readonly byPackage = new Map<string, CatalogMatch>();
  private readonly byHeader = new Map<string, CatalogTool>();
  private readonly byPython = new Map<string, CatalogTool>();
  private readonly hosts: Array<{ host: string; tool: CatalogTool }> = [];

  constructor(readonly catalog: Catalog) {
    for (const tool of catalog.tools) {
      for (const pkg of tool.packages) this.byPackage.set(pkg.name, { tool, package: pkg, role: pkg.role ?? tool.role });
      for (const header of tool.headers) this.byHeader.set(header.toLowerCase(), tool);
      for (const name of tool.pythonPackages) this.byPython.set(normalizePythonName(name), tool);
      for (const endpoint of tool.endpoints) {
        const host = hostOfEndpoint(endpoint);
        if (host && !isSelfHostedHost(host)) this.hosts.push({ host, tool });
      }
    }
    // the most specific host wins: gateway.ai.cloudflare.com before cloudflare.com
    this.hosts.sort((a, b) => b.host.length - a.host.length);
  }

  /** The tool a package name belongs to, whatever the release (its tier for pinning, its tarball for the scan). */
  lookup(packageName: string): CatalogMatch | null {
    return this.byPackage.get(packageName) ?? null;
  }

  /** The tool whose answers hold for this release: null for a release outside the package's `versions`. */
  lookupRelease(packageName: string, version: string | null): CatalogMatch | null {
    const match = this.lookup(packageName);
    if (!match?.package.versions) return match;
    return version !== null && satisfies(version, match.package.versions, { includePrerelease: true }) ? match : null;
  }

  toolById(id: string): CatalogTool | null {
    return this.catalog.tools.find((tool) => tool.id === id) ?? null;
  }

  /**
   * Tools whose catalogued endpoint is this host or a parent domain of it, most specific first.
   * Loopback defaults (`localhost:4000`) identify nothing and are not indexed.
   */
  toolsByHost(host: string): CatalogTool[] {
    const wanted = host.toLowerCase();
    const matches = this.hosts.filter(({ host: known }) => wanted === known || wanted.endsWith(`.${known}`));
    const best = matches[0]?.host.length ?? 0;
    return matches.filter((match) => match.host.length === best).map((match) => match.tool).sort((a, b) => hostPriority(a) - hostPriority(b));
  }

  toolByHost(host: string): CatalogTool | null {
    return this.toolsByHost(host)[0] ?? null;
  }

  /** A provider's own API host (`api.openai.com`): calls there go straight to the provider. */
  isProviderHost(host: string): boolean {
    return this.toolsByHost(host).some((tool) => tool.role === 'provider-sdk' || tool.tier === 'provider-sdk');
  }

  /** Headers match exactly, or by a catalogued prefix ending in `*` (`Helicone-Property-*`); generic headers never match. */
  toolByHeader(header: string): CatalogTool | null {
    const wanted = header.toLowerCase();
    if (GENERIC_HEADERS.has(wanted)) return null;
    const exact = this.byHeader.get(wanted);
    if (exact) return exact;
    for (const [known, tool] of this.byHeader) {
      const prefix = known.endsWith('*') ? known.slice(0, -1) : null;
      if (prefix && prefix.length > 2 && wanted.startsWith(prefix)) return tool;
    }
    return null;
  }

  toolByImage(repository: string): CatalogTool | null {
    const wanted = stripDockerHub(repository.toLowerCase());
    return this.catalog.tools.find((tool) => tool.images.some((image) => stripDockerHub(image.toLowerCase().split(/[:@]/)[0] ?? '') === wanted)) ?? null;
  }

  toolByPython(name: string): CatalogTool | null {
    return this.byPython.get(normalizePythonName(name)) ?? null;
  }

  toolsByEnvVar(name: string): CatalogTool[] {
    return this.catalog.tools.filter((tool) => tool.envVars.includes(name));
  }
}

const GENERIC_HEADERS = new Set(['authorization', 'content-type', 'accept', 'x-api-key', 'api-key', 'user-agent']);

const ROLE_ORDER: AiRole[] = ['gateway-client', 'gateway-server', 'provider-sdk', 'in-process-wrapper', 'otel-instrumentation', 'passive-metadata', 'framework', 'cost-calculator'];

/** When several tools name the same host, the gateway explains a hop best and a cost calculator least. */
function hostPriority(tool: CatalogTool): number {
  return ROLE_ORDER.indexOf(tool.role);
}

/** `https://api.portkey.ai/v1` → `api.portkey.ai`; bare hosts pass through. */
export function hostOfEndpoint(endpoint: string): string | null {
  const bare = endpoint.replace(/^([a-z]+:\/\/)?\*\./i, '$1');
  const text = bare.includes('://') ? bare : `https://${bare}`;
  try {
    const host = new URL(text.replace(/\{[^}]*\}/g, 'x')).hostname.toLowerCase();
    return host || null;
  } catch {
    return null;
  }
}

/** PEP 503 normalisation: case-insensitive, runs of `-_.` are one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function stripDockerHub(repository: string): string {
  return repository.replace(/^(docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
}

export const builtinCatalog = catalogData as unknown as Catalog;
