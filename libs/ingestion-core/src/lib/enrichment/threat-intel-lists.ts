import { BlockList, isIP } from 'node:net';

/** Named lists of CIDR ranges (threat intelligence: Tor exits, known scanners, abuse feeds…). */
export class ThreatIntelLists {
  private constructor(private readonly lists: ReadonlyArray<readonly [string, BlockList]>) {}

  /** No lists: nothing is ever tagged. */
  static empty(): ThreatIntelLists {
    return new ThreatIntelLists([]);
  }

  /**
   * Builds the lists from `{ "<list name>": ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"] }`.
   * Throws naming the list and the entry when one is not an address or CIDR range.
   */
  static fromJson(document: unknown): ThreatIntelLists {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new Error(
        'threat-intel lists must be a JSON object of list name → array of CIDR ranges',
      );
    }
    const lists = Object.entries(document).map(([name, entries]): readonly [string, BlockList] => {
      if (!Array.isArray(entries)) {
        throw new Error(`threat-intel list "${name}" must be an array of CIDR ranges`);
      }
      const blockList = new BlockList();
      for (const entry of entries) {
        addEntry(blockList, name, entry);
      }
      return [name, blockList];
    });
    return new ThreatIntelLists(lists);
  }

  /** Names of the lists that contain `ip` (empty when none, or when `ip` is not an address). */
  listsContaining(ip: string): string[] {
    const family = isIP(ip);
    if (family === 0) {
      return [];
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return this.lists.filter(([, blockList]) => blockList.check(ip, type)).map(([name]) => name);
  }

  /** How many lists are loaded. */
  get size(): number {
    return this.lists.length;
  }
}

function addEntry(blockList: BlockList, list: string, entry: unknown): void {
  const [address = '', prefixText] = String(entry).split('/');
  const family = isIP(address);
  const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
  const maxPrefix = family === 4 ? 32 : 128;
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
    throw new Error(
      `threat-intel list "${list}": ${JSON.stringify(entry)} is not an IP address or CIDR range`,
    );
  }
  blockList.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}
