/**
 * The nesting depth of a parsed JSON value (a scalar is 0, `{}` and `[]` are 1), computed
 * without recursion so that a hostile document cannot exhaust the stack. Stops counting past
 * `limit` and returns `limit + 1`.
 */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    const here = depth + 1;
    if (here > limit) {
      return limit + 1;
    }
    deepest = Math.max(deepest, here);
    for (const child of Object.values(node)) {
      stack.push([child, here]);
    }
  }
  return deepest;
}
