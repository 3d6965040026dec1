import type { AiTier } from '../ai/tiers.js';
import type { Inventory } from '../inventory/model.js';
import type { Policy } from '../policy.js';
import type { RegistryClient } from './client.js';
import { applicableCooldown, describeCooldown, readProjectCooldowns, type ProjectCooldown } from './cooldown.js';
import { FactsCache, factsCachePath } from './facts-cache.js';
import type { RegistryFacts } from './facts.js';
import { gatherFacts } from './gather.js';
import { type RegistryPrefetch } from './prefetch.js';
import { releaseWindow } from './release-window.js';
import { isStrictTier } from '../ai/tiers.js';
import { unverifiableIntegrity } from './unverifiable-integrity.js';
import { cacheAuthFor } from '../util/cache-auth.js';

export interface RegistryStageOptions {
  client: RegistryClient | undefined;
  policy: Policy;
  now: Date;
  tierOf(name: string): AiTier | null;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** The facts cache and document worker started before the inventory (startRegistryPrefetch). */
  prefetch?: Promise<RegistryPrefetch | null> | undefined;
}

export interface RegistryStage {
  facts: RegistryFacts | undefined;
  cooldown: ProjectCooldown | null;
  notices: string[];
}

/** The project's own release-age gate, then what the registry says about every locked version. */
export async function registryStage(inventory: Inventory, options: RegistryStageOptions): Promise<RegistryStage> {
  try {
    return await stage(inventory, options);
  } finally {
    await (await options.prefetch?.catch(() => null))?.documents.close();
  }
}

async function stage(inventory: Inventory, options: RegistryStageOptions): Promise<RegistryStage> {
  const read = await readProjectCooldowns(inventory.root, options.client?.config ?? null);
  const cooldown = applicableCooldown(read.cooldowns, inventory.lockfile?.format ?? null);
  const notices = [...read.notices];
  if (cooldown) notices.push(`The project's release-age gate, ${describeCooldown(cooldown)}, is honoured: no locked version may be younger.`);
  if (!options.client) return { facts: undefined, cooldown, notices };
  const { client, policy, tierOf } = options;
  const early = await options.prefetch;
  const factsCache = early?.factsCache ?? (await FactsCache.open(factsCachePath(client.config.flat.cache), Date.now, await cacheAuthFor(client.config.cacheKeyFile)));
  const facts = await gatherFacts(inventory.packages, {
    client,
    now: options.now,
    windowFor: (name) => releaseWindow(name, tierOf(name), policy, cooldown).ms,
    wantsFullDocument: (name) => isStrictTier(tierOf(name)),
    factsCache,
    documents: early?.documents,
    onProgress: options.onProgress,
  });
  await factsCache.save();
  facts.errors.push(...unverifiableIntegrity(inventory, facts));
  if (client.offline && facts.errors.length === 0) notices.push('--offline: every registry fact came from the cache.');
  return { facts, cooldown, notices };
}
