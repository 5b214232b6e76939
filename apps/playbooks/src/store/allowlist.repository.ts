import { BlockList, isIP } from 'node:net';
import type { SqlClient } from '@vigil/store';

/** One allowlist entry: an IP, a CIDR range or a user that playbooks never block. */
export interface AllowlistEntry {
  readonly kind: 'ip' | 'user';
  /** An IP address or CIDR range (`ip`), or a login (`user`). */
  readonly value: string;
  readonly note?: string;
}

/** The tenant's allowlist as a matcher. */
export class Allowlist {
  private readonly ips = new BlockList();
  private readonly users: Set<string>;

  constructor(entries: readonly AllowlistEntry[]) {
    this.users = new Set(entries.filter((e) => e.kind === 'user').map((e) => e.value));
    for (const entry of entries.filter((e) => e.kind === 'ip')) {
      addRange(this.ips, entry.value);
    }
  }

  /** True when the IP lies in a listed address or range. */
  allowsIp(ip: string): boolean {
    const family = isIP(ip);
    return family !== 0 && this.ips.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** True when the user is listed. */
  allowsUser(user: string): boolean {
    return this.users.has(user);
  }
}

/** Parses `value` as an IP or CIDR range; undefined when it is neither. */
export function parseIpRange(
  value: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText] = value.split('/');
  const family = isIP(address);
  if (family === 0) {
    return undefined;
  }
  const max = family === 6 ? 128 : 32;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) {
    return undefined;
  }
  return { address, prefix, family: family === 6 ? 'ipv6' : 'ipv4' };
}

function addRange(list: BlockList, value: string): void {
  const range = parseIpRange(value);
  if (range) {
    list.addSubnet(range.address, range.prefix, range.family);
  }
}

/** The per-tenant allowlist, stored. */
export class AllowlistRepository {
  constructor(private readonly db: SqlClient) {}

  /** Entries of a tenant. */
  async list(tenant: string): Promise<AllowlistEntry[]> {
    const { rows } = await this.db.query<{
      kind: 'ip' | 'user';
      value: string;
      note: string | null;
    }>('SELECT kind, value, note FROM allowlist WHERE tenant = $1 ORDER BY kind, value', [tenant]);
    return rows.map((row) =>
      row.note === null ? { kind: row.kind, value: row.value } : { ...row, note: row.note },
    );
  }

  /** Replaces a tenant's entries. */
  async replace(
    tenant: string,
    entries: readonly AllowlistEntry[],
    client: SqlClient = this.db,
  ): Promise<void> {
    await client.query('DELETE FROM allowlist WHERE tenant = $1', [tenant]);
    for (const entry of entries) {
      await client.query(
        'INSERT INTO allowlist (tenant, kind, value, note) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [tenant, entry.kind, entry.value, entry.note ?? null],
      );
    }
  }

  /** The tenant's matcher. */
  async matcher(tenant: string, client: SqlClient = this.db): Promise<Allowlist> {
    const { rows } = await client.query<AllowlistEntry>(
      'SELECT kind, value FROM allowlist WHERE tenant = $1',
      [tenant],
    );
    return new Allowlist(rows);
  }
}
