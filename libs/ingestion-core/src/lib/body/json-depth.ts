/**
 * The nesting depth of a parsed JSON value (a scalar is 0, `{}` and `[]` are 1). Stops counting
 * past `limit` and returns `limit + 1`, so a hostile document never takes the walk deeper than
 * `limit + 1` calls, whatever its nesting.
 */
export function jsonDepth(value: unknown, limit: number): number {
  return depthOf(value, 0, limit);
}

function depthOf(node: unknown, depth: number, limit: number): number {
  if (typeof node !== 'object' || node === null) {
    return depth;
  }
  const here = depth + 1;
  if (here > limit) {
    return here;
  }
  let deepest = here;
  // Recursion without per-node allocation: this runs over every signal ingested.
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length && deepest <= limit; i++) {
      deepest = Math.max(deepest, depthOf(node[i], here, limit));
    }
    return deepest;
  }
  for (const key in node) {
    deepest = Math.max(deepest, depthOf((node as Record<string, unknown>)[key], here, limit));
    if (deepest > limit) {
      break;
    }
  }
  return deepest;
}
