import type { NamedList } from '@vigil/playbooks';
import type { SqlClient } from '@vigil/store';

interface ListRow {
  name: string;
  kind: NamedList['kind'];
  description: string;
  entries: string[];
}

/** A tenant's named lists (its own, and its extensions of shipped ones). */
export class ListRepository {
  constructor(private readonly db: SqlClient) {}

  /** Every list of a tenant, by name. */
  async list(tenant: string): Promise<NamedList[]> {
    const { rows } = await this.db.query<ListRow>(
      'SELECT name, kind, description, entries FROM lists WHERE tenant = $1 ORDER BY name',
      [tenant],
    );
    return rows.map((row) => ({ ...row }));
  }

  /** Creates or replaces one list. */
  async put(tenant: string, list: NamedList): Promise<void> {
    await this.db.query(
      `INSERT INTO lists (tenant, name, kind, description, entries) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant, name) DO UPDATE SET kind = EXCLUDED.kind,
         description = EXCLUDED.description, entries = EXCLUDED.entries, updated_at = now()`,
      [tenant, list.name, list.kind, list.description, JSON.stringify(list.entries)],
    );
  }

  /** Deletes one list; false when the tenant had none of that name. */
  async delete(tenant: string, name: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'DELETE FROM lists WHERE tenant = $1 AND name = $2 RETURNING name',
      [tenant, name],
    );
    return rows.length > 0;
  }
}
