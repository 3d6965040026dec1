/**
 * How many values a parsed YAML document holds once its aliases are expanded. js-yaml shares one
 * object for every `*alias`, so parsing is cheap, but everything after it (graph building, the
 * inventory, the cache) walks the expanded tree: a 1 MB pnpm lockfile reusing one alias for every
 * snapshot took 60 s and 1.7 GB. Counted with a memo per shared object, so counting is linear in
 * the parsed size, and stopped as soon as `limit` is passed.
 */
export function expandedSize(value: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const size = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, Infinity); // a cycle (`&a [*a]`) is unbounded
    let total = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      total += size(child);
      if (total > limit) break;
    }
    sizes.set(node, total);
    return total;
  };
  return size(value);
}

/**
 * The bound for a lockfile of `textLength` characters: a YAML value takes at least two
 * characters of text (`a:`, `- `), so a document without aliases never comes near it.
 */
export function expansionLimit(textLength: number): number {
  return textLength + 100_000;
}
