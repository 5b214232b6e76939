import { createHash } from 'node:crypto';
import type { SqlPool } from './sql-client';

/** One schema change, applied once, in id order. Never edit a released migration: add a new one. */
export interface Migration {
  /** Sortable id, e.g. `0001_tenants`. */
  readonly id: string;
  readonly sql: string;
}

/** What {@link runMigrations} did. */
export interface MigrationResult {
  readonly applied: string[];
  readonly alreadyApplied: string[];
}

/**
 * Applies pending migrations of one component (`component` names its history table, so each
 * product keeps its own). Each migration runs in its own transaction under an advisory lock, so
 * several instances starting together apply each migration exactly once. A released migration
 * whose text changed stops start-up (its checksum no longer matches).
 */
export async function runMigrations(
  pool: SqlPool,
  component: string,
  migrations: readonly Migration[],
): Promise<MigrationResult> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(component)) {
    throw new Error(`invalid migration component name: ${JSON.stringify(component)}`);
  }
  const table = `${component}_migrations`;
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  const ordered = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  // Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog: take the lock first.
  await pool.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
  });
  for (const migration of ordered) {
    await pool.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
      const done = await client.query<{ checksum: string }>(
        `SELECT checksum FROM ${table} WHERE id = $1`,
        [migration.id],
      );
      const checksum = checksumOf(migration.sql);
      const existing = done.rows[0];
      if (existing) {
        if (existing.checksum !== checksum) {
          throw new Error(
            `migration ${component}/${migration.id} was changed after it was applied; add a new migration instead`,
          );
        }
        result.alreadyApplied.push(migration.id);
        return;
      }
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${table} (id, checksum) VALUES ($1, $2)`, [
        migration.id,
        checksum,
      ]);
      result.applied.push(migration.id);
    });
  }
  return result;
}

function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}
