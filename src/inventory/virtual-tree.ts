import type { Node } from '@npmcli/arborist';

/**
 * arborist's virtual tree of an npm lockfile (`loadVirtual`), built in linear instead of quadratic
 * time where that gives the same tree.
 *
 * Each node arborist adds to the tree re-resolves the edges named like it under its new parent,
 * walking that whole subtree: for the ~1,000 top-level packages of a typical lockfile that is the
 * whole tree each time, half of a cold run's lockfile read (and 118 s for a flat lockfile of 20,000
 * packages). The edges' final state depends only on the final tree, so the walks are suspended while
 * the tree is built and every edge is resolved once at the end. Where arborist works anything out
 * from the edges while it builds the tree — dependency flags of a v1 lockfile, or of a lockfile whose
 * root dependencies disagree with package.json (`flagsSuspect`) — the tree is loaded as arborist
 * loads it. The equivalence is tested on every npm lockfile fixture (virtual-tree.test.ts).
 */
export async function loadVirtualTree(root: string, lockfileVersion: number, mode: 'fast' | 'incremental' = 'fast'): Promise<Node> {
  return exclusively(async () => {
    const { default: Arborist } = await import('@npmcli/arborist');
    const load = () => new Arborist({ path: root, workspacesEnabled: true });
    const suspend = mode === 'fast' && lockfileVersion >= 2 ? await namedEdgeReloads() : null;
    if (!suspend) return load().loadVirtual();
    const arborist = load();
    const resume = suspend();
    let tree: Node;
    try {
      tree = await arborist.loadVirtual();
    } finally {
      resume();
    }
    if ((arborist as unknown as Record<symbol, unknown>)[FLAGS_SUSPECT] === true) return load().loadVirtual();
    for (const node of tree.inventory.values()) for (const edge of node.edgesOut.values()) edge.reload(true);
    return tree;
  });
}

const FLAGS_SUSPECT = Symbol.for('flagsSuspect');

/** Whether this arborist lets trees load in linear time (it has the named-edge reload this module suspends). */
export async function linearTreeLoads(): Promise<boolean> {
  return (await namedEdgeReloads()) !== null;
}

/** Suspends arborist's named-edge reloads until the returned function is called; null when this arborist has no such method (then trees load as arborist loads them). */
async function namedEdgeReloads(): Promise<(() => () => void) | null> {
  const { default: ArboristNode } = await import('@npmcli/arborist/lib/node.js');
  const prototype = ArboristNode.prototype as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(prototype).find((symbol) => symbol.description === '_reloadNamedEdges');
  const original = key ? prototype[key] : undefined;
  if (!key || typeof original !== 'function') return null;
  return () => {
    prototype[key] = () => undefined;
    return () => {
      prototype[key] = original;
    };
  };
}

let last: Promise<unknown> = Promise.resolve();

/** One tree at a time: the suspension is process-wide, and a tree loaded as arborist loads it must not see it. */
function exclusively<T>(task: () => Promise<T>): Promise<T> {
  const run = last.then(task, task);
  last = run.catch(() => undefined);
  return run;
}
