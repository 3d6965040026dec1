declare module '@npmcli/arborist' {
  export interface Edge {
    name: string;
    spec: string;
    type: 'prod' | 'dev' | 'optional' | 'peer' | 'peerOptional' | 'workspace';
    to: Node | null;
    from: Node | null;
    valid: boolean;
    missing: boolean;
    invalid: boolean;
    /** Resolves the edge again from where `from` sits now; `hard` also when it looked valid. */
    reload(hard?: boolean): void;
  }

  export interface Node {
    name: string;
    packageName: string;
    version: string;
    location: string;
    path: string;
    realpath: string;
    resolved: string | null;
    integrity: string | null;
    isLink: boolean;
    isRoot: boolean;
    isProjectRoot: boolean;
    isWorkspace: boolean;
    target: Node;
    root: Node;
    dev: boolean;
    optional: boolean;
    devOptional: boolean;
    peer: boolean;
    extraneous: boolean;
    inBundle: boolean;
    hasInstallScript: boolean;
    package: Record<string, unknown>;
    edgesOut: Map<string, Edge>;
    edgesIn: Set<Edge>;
    children: Map<string, Node>;
    inventory: Map<string, Node> & { values(): IterableIterator<Node> };
    workspaces: Map<string, string> | null;
    resolve(name: string): Node | undefined;
  }

  export interface ArboristOptions {
    path: string;
    workspacesEnabled?: boolean;
    [option: string]: unknown;
  }

  export default class Arborist {
    constructor(options: ArboristOptions);
    loadVirtual(options?: Record<string, unknown>): Promise<Node>;
  }
}

declare module '@npmcli/arborist/lib/node.js' {
  /** arborist's Node class; only its prototype is used (see inventory/virtual-tree.ts). */
  const Node: { prototype: object };
  export default Node;
}
