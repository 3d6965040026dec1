/** The parts of Babel's AST the source readers use: nodes as plain objects, walked by their keys. */
export type Node = { type: string; loc?: { start: { line: number } } | null; [key: string]: unknown };

const NOT_CHILDREN = new Set(['loc', 'start', 'end', 'extra', 'comments', 'leadingComments', 'trailingComments', 'innerComments']);

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Whether a node's key can hold child nodes (not its position, not its comments). */
export function isChildKey(key: string): boolean {
  return !NOT_CHILDREN.has(key);
}

/** The node's child nodes, in source order. */
export function childrenOf(node: Node): Node[] {
  const children: Node[] = [];
  for (const key of Object.keys(node)) {
    if (NOT_CHILDREN.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) children.push(child);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

/** An identifier's name or a string literal's value. */
export function nameOf(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'StringLiteral') return node.value as string;
  return null;
}

export function lineOf(node: Node): number {
  return node.loc?.start.line ?? 1;
}
