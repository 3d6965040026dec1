import type { AiRole, CatalogIndex, ToolAnswers } from './catalog.js';
import { isProviderKeyVar, type PackageEvidence } from './evidence/package.js';
import { isDirectProviderHost, isSelfHostedHost } from './hosts.js';

export interface InferredAnswers extends ToolAnswers {
  role: AiRole | 'unknown';
}

const HOOKS = new Set(['replaces globalThis.fetch', 'replaces http.request', 'wraps module functions (shimmer)', 'registers an OpenTelemetry module hook', 'hooks module loading', 'replaces require', 'subscribes to undici request events', 'registers OpenTelemetry instrumentations']);

/**
 * What a package's published code alone says about the four answers — used for packages the
 * catalog does not know, and to cross-check the catalog. Anything the code does not settle is `unknown`.
 */
export function inferAnswers(evidence: PackageEvidence, catalog: CatalogIndex): InferredAnswers {
  const hosts = evidence.hosts.map((item) => item.value);
  const providerHosts = hosts.filter((host) => catalog.isProviderHost(host) || isDirectProviderHost(host));
  const gatewayHosts = hosts.filter((host) => !catalog.isProviderHost(host) && catalog.toolsByHost(host).some((tool) => tool.tier === 'gateway'));
  const thirdParty = hosts.filter((host) => !catalog.isProviderHost(host) && !isDirectProviderHost(host) && !isSelfHostedHost(host));
  const readsProviderKey = evidence.envReads.some((item) => isProviderKeyVar(item.value, catalog));
  const hooks = evidence.patches.some((item) => HOOKS.has(item.value));
  const wrapsProvider = evidence.patches.length > 0 && (evidence.imports.length > 0 || evidence.wrappers.length > 0);
  const buildsLlmRequests = evidence.llmPaths.length > 0;
  const servesHttp = evidence.servesHttp.length > 0;

  const otherHosts = thirdParty.filter((host) => !catalog.toolsByHost(host).some((tool) => tool.role === 'provider-sdk'));
  if (servesHttp && buildsLlmRequests && (providerHosts.length > 0 || readsProviderKey)) {
    return { role: 'gateway-server', requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'none', singlePointOfFailure: true };
  }
  // an integrations collection (LangChain community, LlamaIndex readers) names many vendors' hosts: it is a framework, not a gateway
  const vendors = new Set([
    ...[...providerHosts, ...gatewayHosts].map((host) => catalog.toolsByHost(host)[0]?.vendor ?? host),
    ...evidence.imports.map((item) => catalog.lookup(item.value)?.tool.vendor ?? item.value),
  ]);
  if (vendors.size >= 3 && !servesHttp) {
    return { role: 'framework', requestPath: 'in-process', handlesKeys: 'in-process', sendsPrompts: 'none', singlePointOfFailure: false };
  }
  if (gatewayHosts.length > 0 && (buildsLlmRequests || evidence.imports.length > 0)) {
    return { role: 'gateway-client', requestPath: 'network-hop', handlesKeys: 'forwards', sendsPrompts: 'default', singlePointOfFailure: true };
  }
  // talks to provider API hosts only: the provider's own client (its fetch shims are not instrumentation)
  if (providerHosts.length > 0 && otherHosts.length === 0 && !evidence.patches.some((item) => item.value !== 'replaces globalThis.fetch' && item.value !== 'wraps objects in a Proxy' && HOOKS.has(item.value))) {
    return { role: 'provider-sdk', requestPath: 'in-process', handlesKeys: 'in-process', sendsPrompts: 'none', singlePointOfFailure: false };
  }
  if (hooks || wrapsProvider) {
    return { role: hooks ? 'otel-instrumentation' : 'in-process-wrapper', requestPath: 'in-process', handlesKeys: 'none', sendsPrompts: otherHosts.length > 0 ? 'default' : 'unknown', singlePointOfFailure: false };
  }
  if (otherHosts.length > 0 && (evidence.imports.length > 0 || evidence.wrappers.length > 0)) {
    return { role: 'in-process-wrapper', requestPath: 'in-process', handlesKeys: 'none', sendsPrompts: 'default', singlePointOfFailure: false };
  }
  if (otherHosts.length > 0) {
    return { role: 'unknown', requestPath: 'none', handlesKeys: readsProviderKey ? 'unknown' : 'none', sendsPrompts: 'unknown', singlePointOfFailure: false };
  }
  if (evidence.imports.length > 0 && hosts.length === 0) {
    return { role: 'framework', requestPath: 'in-process', handlesKeys: 'in-process', sendsPrompts: 'none', singlePointOfFailure: false };
  }
  // nothing leaves the process; what the package is for the code alone does not say
  if (hosts.length === 0 && !readsProviderKey && !buildsLlmRequests) {
    return { role: 'unknown', requestPath: 'none', handlesKeys: 'none', sendsPrompts: 'none', singlePointOfFailure: false };
  }
  return { role: 'unknown', requestPath: 'unknown', handlesKeys: 'unknown', sendsPrompts: 'unknown', singlePointOfFailure: null };
}
