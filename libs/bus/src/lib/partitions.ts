/**
 * Partitioning: which of `count` partitions a key falls in, and which of the live instances owns
 * a partition. Both are pure functions, so every instance computes the same answer without
 * talking to the others.
 */

/** FNV-1a, 32 bits: fast, stable across processes and versions, well spread for short keys. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The partition (0 … count-1) of a key; the same key always lands in the same partition. */
export function partitionOf(key: string, count: number): number {
  return fnv1a(key) % count;
}

/**
 * The owner of a partition among `members` by rendezvous (highest random weight) hashing: when
 * a member joins or leaves, only the partitions it wins or held move, about `1/N` of them.
 */
export function ownerOf(partition: number, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const member of members) {
    const score = fnv1a(`${partition}/${member}`);
    if (score > bestScore || (score === bestScore && best !== undefined && member < best)) {
      best = member;
      bestScore = score;
    }
  }
  return best;
}
