import {
  BUILTIN_PLAYBOOKS,
  longestWindowSeconds,
  type ActivePlaybook,
  type PlaybookDefinition,
} from '@vigil/playbooks';
import type { SqlClient } from '@vigil/store';

/** A tenant's playbook as the API shows it. */
export interface StoredPlaybook extends ActivePlaybook {
  readonly builtin: boolean;
  readonly updatedAt: string | null;
}

interface PlaybookRow {
  id: string;
  version: number;
  definition: PlaybookDefinition;
  updated_at: Date;
}

/**
 * A tenant's playbooks: the built-in ones (version 0 until the tenant saves its own version)
 * merged with what the tenant created or tuned. Each save is a new version.
 */
export class PlaybookRepository {
  constructor(private readonly db: SqlClient) {}

  /** Every playbook of a tenant, built-ins first. */
  async list(tenant: string): Promise<StoredPlaybook[]> {
    const { rows } = await this.db.query<PlaybookRow>(
      'SELECT id, version, definition, updated_at FROM playbooks WHERE tenant = $1 ORDER BY id',
      [tenant],
    );
    const saved = new Map(rows.map((row) => [row.id, row]));
    const builtins = BUILTIN_PLAYBOOKS.map((definition) => {
      const row = saved.get(definition.id);
      return row ? fromRow(row, true) : { definition, version: 0, builtin: true, updatedAt: null };
    });
    const custom = rows.filter((row) => !isBuiltin(row.id)).map((row) => fromRow(row, false));
    return [...builtins, ...custom];
  }

  /** One playbook, or undefined. */
  async get(tenant: string, id: string): Promise<StoredPlaybook | undefined> {
    return (await this.list(tenant)).find((playbook) => playbook.definition.id === id);
  }

  /** Saves a new version (version 1 for a new playbook); returns it. */
  async save(tenant: string, definition: PlaybookDefinition): Promise<StoredPlaybook> {
    const { rows } = await this.db.query<PlaybookRow>(
      `INSERT INTO playbooks (tenant, id, version, definition) VALUES ($1, $2, 1, $3)
       ON CONFLICT (tenant, id) DO UPDATE
         SET version = playbooks.version + 1, definition = EXCLUDED.definition, updated_at = now()
       RETURNING id, version, definition, updated_at`,
      [tenant, definition.id, JSON.stringify(definition)],
    );
    return fromRow(rows[0] as PlaybookRow, isBuiltin(definition.id));
  }

  /** Deletes a tenant's own playbook; false when there was none. */
  async delete(tenant: string, id: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'DELETE FROM playbooks WHERE tenant = $1 AND id = $2 RETURNING id',
      [tenant, id],
    );
    return rows.length > 0;
  }

  /** The longest window any playbook of any tenant uses (seconds): how far back a restart re-reads. */
  async longestWindowSeconds(): Promise<number> {
    const { rows } = await this.db.query<{ definition: PlaybookDefinition }>(
      'SELECT definition FROM playbooks',
    );
    const definitions = [...BUILTIN_PLAYBOOKS, ...rows.map((row) => row.definition)];
    return Math.max(...definitions.map(longestWindowSeconds));
  }

  /** The longest quiet period (response duration) of any playbook, built-ins included, in seconds. */
  async longestQuietSeconds(): Promise<number> {
    const { rows } = await this.db.query<{ longest: number | null }>(
      `SELECT max((definition->'response'->>'durationSeconds')::int) AS longest FROM playbooks`,
    );
    const builtin = Math.max(...BUILTIN_PLAYBOOKS.map((p) => p.response.durationSeconds));
    return Math.max(builtin, Number(rows[0]?.longest ?? 0));
  }
}

/** True for the id of a built-in playbook. */
export function isBuiltin(id: string): boolean {
  return BUILTIN_PLAYBOOKS.some((playbook) => playbook.id === id);
}

function fromRow(row: PlaybookRow, builtin: boolean): StoredPlaybook {
  return {
    definition: row.definition,
    version: row.version,
    builtin,
    updatedAt: row.updated_at.toISOString(),
  };
}
