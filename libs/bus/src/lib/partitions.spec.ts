import { ownerOf, partitionOf } from './partitions';

describe('partitionOf', () => {
  it('is stable and spreads keys over every partition', () => {
    expect(partitionOf('acme\u0000shop', 8)).toBe(partitionOf('acme\u0000shop', 8));
    const counts = new Map<number, number>();
    for (let i = 0; i < 8_000; i++) {
      const p = partitionOf(`tenant-${i}\u0000app`, 8);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.size).toBe(8);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1_200);
    }
  });
});

describe('ownerOf (rendezvous hashing)', () => {
  const partitions = Array.from({ length: 32 }, (_, i) => i);
  const owners = (members: string[]) => partitions.map((p) => ownerOf(p, members));

  it('gives every partition one owner, whatever the order members are listed in', () => {
    expect(owners(['a', 'b', 'c'])).toEqual(owners(['c', 'a', 'b']));
    expect(new Set(owners(['a', 'b', 'c']))).toEqual(new Set(['a', 'b', 'c']));
    expect(ownerOf(3, [])).toBeUndefined();
  });

  it('moves only the partitions of a member that leaves, and only to the others', () => {
    const before = owners(['a', 'b', 'c']);
    const after = owners(['a', 'c']);
    partitions.forEach((p) => {
      if (before[p] !== 'b') {
        expect(after[p]).toBe(before[p]);
      } else {
        expect(['a', 'c']).toContain(after[p]);
      }
    });
  });
});
