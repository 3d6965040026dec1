import { basename, dirname } from 'node:path';
import type { AiTier } from '../ai/tiers.js';
import type { Inventory } from '../inventory/model.js';
import type { Policy } from '../policy.js';
import type { RegistryClient } from './client.js';
import { applicableCooldown, describeCooldown, readProjectCooldowns, type ProjectCooldown } from './cooldown.js';
import { FactsCache, factsCachePath } from './facts-cache.js';
import type { RegistryFacts } from './facts.js';
import { gatherFacts } from './gather.js';
import { releaseWindow } from './release-window.js';
import { isStrictTier } from '../ai/tiers.js';

export interface RegistryStageOptions {
  client: RegistryClient | undefined;
  policy: Policy;
  now: Date;
  tierOf(name: string): AiTier | null;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface RegistryStage {
  facts: RegistryFacts | undefined;
  cooldown: ProjectCooldown | null;
  notices: string[];
}

/** The project's own release-age gate, then what the registry says about every locked version. */
export async function registryStage(inventory: Inventory, options: RegistryStageOptions): Promise<RegistryStage> {
  const read = await readProjectCooldowns(inventory.root, options.client?.config ?? null);
  const cooldown = applicableCooldown(read.cooldowns, inventory.lockfile?.format ?? null);
  const notices = [...read.notices];
  if (cooldown) notices.push(`The project's release-age gate, ${describeCooldown(cooldown)}, is honoured: no locked version may be younger.`);
  if (!options.client) return { facts: undefined, cooldown, notices };
  const { client, policy, tierOf } = options;
  const factsCache = await FactsCache.open(factsCacheFile(client.config.flat.cache));
  const facts = await gatherFacts(inventory.packages, {
    client,
    now: options.now,
    windowFor: (name) => releaseWindow(name, tierOf(name), policy, cooldown).ms,
    wantsFullDocument: (name) => isStrictTier(tierOf(name)),
    factsCache,
    onProgress: options.onProgress,
  });
  await factsCache.save();
  if (client.offline && facts.errors.length === 0) notices.push('--offline: every registry fact came from the cache.');
  return { facts, cooldown, notices };
}

/** npm flattens its `cache` setting to `<cache>/_cacache`; the facts cache sits beside that, in `<cache>/_ai-chain-audit`. */
function factsCacheFile(cacache: unknown): string | null {
  if (typeof cacache !== 'string' || !cacache) return null;
  return factsCachePath(basename(cacache) === '_cacache' ? dirname(cacache) : cacache);
}
