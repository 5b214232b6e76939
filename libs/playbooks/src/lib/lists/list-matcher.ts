import { BlockList, isIP } from 'node:net';
import picomatch from 'picomatch';
import { SHIPPED_LISTS, type ListKind, type NamedList } from './shipped-lists';

/** Tests a value's membership of one list (every kind compiled once). */
export type ListMatcher = (value: string) => boolean;

/** Compiles the entries of one or more lists of the same name (shipped plus the tenant's). */
export function compileList(lists: readonly NamedList[]): ListMatcher {
  const kind = lists[0]?.kind ?? 'exact';
  const entries = lists.flatMap((list) => list.entries);
  return compilers[kind](entries);
}

const compilers: Record<ListKind, (entries: readonly string[]) => ListMatcher> = {
  glob: (entries) => {
    if (entries.length === 0) {
      return () => false;
    }
    return picomatch([...entries], { dot: true, nocase: true });
  },
  contains: (entries) => {
    const needles = entries.map((entry) => entry.toLowerCase());
    return (value) => {
      const text = value.toLowerCase();
      return needles.some((needle) => text.includes(needle));
    };
  },
  exact: (entries) => {
    const members = new Set(entries);
    return (value) => members.has(value);
  },
  cidr: (entries) => {
    const ranges = new BlockList();
    for (const entry of entries) {
      addRange(ranges, entry);
    }
    return (value) => {
      const family = isIP(value);
      return family !== 0 && ranges.check(value, family === 6 ? 'ipv6' : 'ipv4');
    };
  },
};

/** True when `entry` is an address or a CIDR range (what a `cidr` list may hold). */
export function isRange(entry: string): boolean {
  const [address = '', prefix] = entry.split('/');
  const family = isIP(address);
  if (family === 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits >= 0 && bits <= (family === 6 ? 128 : 32);
}

function addRange(ranges: BlockList, entry: string): void {
  if (!isRange(entry)) {
    return;
  }
  const [address = '', prefix] = entry.split('/');
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) {
    ranges.addAddress(address, type);
  } else {
    ranges.addSubnet(address, Number(prefix), type);
  }
}

/**
 * Resolves list names for one tenant: the shipped lists, each extended by the tenant's list of
 * the same name, and the tenant's own lists. Compiled once per call.
 */
export function listResolver(
  shipped: readonly NamedList[],
  tenantLists: readonly NamedList[] = [],
): (name: string) => ListMatcher | undefined {
  const byName = new Map<string, NamedList[]>();
  for (const list of [...shipped, ...tenantLists]) {
    byName.set(list.name, [...(byName.get(list.name) ?? []), list]);
  }
  const compiled = new Map([...byName].map(([name, lists]) => [name, compileList(lists)]));
  return (name) => compiled.get(name);
}

let shipped: ((name: string) => ListMatcher | undefined) | undefined;

/** The shipped lists alone, compiled once for the process. */
export function shippedLists(): (name: string) => ListMatcher | undefined {
  shipped ??= listResolver(SHIPPED_LISTS);
  return shipped;
}
