import type { Inventory, LockedPackage } from '../inventory/model.js';
import type { AiTier } from '../model/tier.js';
import { isStrictTier } from '../model/tier.js';
import { applicableCooldown, describeCooldown, readProjectCooldowns, type ProjectCooldown } from '../policy/cooldown.js';
import type { Policy } from '../policy/policy.js';
import { releaseWindow } from '../policy/release-window.js';
import { FactsCache, factsCachePath } from './facts/cache.js';
import { gatherFacts } from './facts/gather.js';
import { fullDocumentAfter, type FactsOptions } from './facts/name-facts.js';
import type { PackageFacts, RegistryFacts } from './facts/model.js';
import { startRegistryPrefetch, type FullDocumentHint, type RegistryPrefetch } from './facts/prefetch.js';
import type { RegistryClient } from './transport/client.js';
import { unverifiableIntegrity } from './facts/unverifiable-integrity.js';
import { cacheAuthFor } from '../util/cache-auth.js';

export interface RegistryStageOptions {
  policy: Policy;
  now: Date;
  tierOf(name: string): AiTier | null;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Each package's facts as soon as they are known (see gatherFacts). */
  onFacts?: ((pkg: LockedPackage, facts: PackageFacts) => void) | undefined;
}

export interface RegistryStage {
  facts: RegistryFacts | undefined;
  cooldown: ProjectCooldown | null;
  notices: string[];
  /** The facts cache being written: the next stages need not wait for the disk (a failed write only costs speed). */
  saved?: Promise<void>;
}

/** What the audit knows before the inventory: enough to tell which documents will be wanted in full. */
export type PrefetchPlan = Pick<RegistryStageOptions, 'policy' | 'now' | 'tierOf'>;

export interface OpenRegistryStage {
  /** The project's own release-age gate, then what the registry says about every locked version. */
  run(inventory: Inventory, options: RegistryStageOptions): Promise<RegistryStage>;
  /** Stops the prefetch when the audit ends before `run` (run closes it itself). */
  close(): Promise<void>;
}

/**
 * Opened before the inventory is read: the facts cache and the document worker start on the
 * names the lockfile lists, so documents arrive while the inventory is built. Without a client
 * the stage reads only the project's cool-down.
 */
export async function openRegistryStage(dir: string, client: RegistryClient | undefined, plan?: PrefetchPlan): Promise<OpenRegistryStage> {
  // the project's own cool-down is not read yet: without it a few more abbreviated documents are parsed before their full one is asked for
  const windows = plan && { now: plan.now, ...factsWindows(plan.policy, plan.tierOf, null) };
  const hint: FullDocumentHint | undefined = windows && ((name, scripted) => fullDocumentAfter(name, scripted, windows));
  const prefetch = client ? startRegistryPrefetch(dir, client, hint) : Promise.resolve(null);
  // the names are handed to the worker before the inventory's synchronous stretches begin;
  // a failure to start is reported when the stage runs
  await prefetch.catch(() => undefined);
  const close = async () => {
    await (await prefetch.catch(() => null))?.documents.close();
  };
  return {
    async run(inventory, options) {
      try {
        return await stage(inventory, client, await prefetch, options);
      } finally {
        await close();
      }
    },
    close,
  };
}

/** Which versions need their publish time, and which packages always want their full document. */
export function factsWindows(policy: Policy, tierOf: (name: string) => AiTier | null, cooldown: ProjectCooldown | null): Pick<FactsOptions, 'windowFor' | 'wantsFullDocument'> {
  return {
    // a version inside either window needs its publish time: the release-age check and the release diff both weigh it
    windowFor: (name) => Math.max(releaseWindow(name, tierOf(name), policy, cooldown).ms, policy.releaseDiffWindow),
    wantsFullDocument: (name) => isStrictTier(tierOf(name)),
  };
}

async function stage(inventory: Inventory, client: RegistryClient | undefined, early: RegistryPrefetch | null, options: RegistryStageOptions): Promise<RegistryStage> {
  const read = await readProjectCooldowns(inventory.root, client?.config ?? null);
  const cooldown = applicableCooldown(read.cooldowns, inventory.lockfile?.format ?? null);
  const notices = [...read.notices];
  if (cooldown) notices.push(`The project's release-age gate, ${describeCooldown(cooldown)}, is honoured: no locked version may be younger.`);
  if (!client) return { facts: undefined, cooldown, notices };
  const { policy, tierOf } = options;
  const factsCache = early?.factsCache ?? (await FactsCache.open(factsCachePath(client.config.flat.cache), Date.now, await cacheAuthFor(client.config.cacheKeyFile)));
  const facts = await gatherFacts(inventory.packages, {
    client,
    now: options.now,
    ...factsWindows(policy, tierOf, cooldown),
    factsCache,
    documents: early?.documents,
    onProgress: options.onProgress,
    onFacts: options.onFacts,
  });
  const saved = factsCache.save();
  facts.errors.push(...unverifiableIntegrity(inventory, facts));
  if (client.offline && facts.errors.length === 0) notices.push('--offline: every registry fact came from the cache.');
  return { facts, cooldown, notices, saved };
}
