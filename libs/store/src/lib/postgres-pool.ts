import { Pool, type PoolConfig } from 'pg';
import { createEmbeddedPool, isEmbeddedUrl } from './embedded-pool';
import type { SqlClient, SqlPool } from './sql-client';

/** Options of {@link createPostgresPool}. */
export interface PostgresPoolOptions {
  /** Connection string, e.g. `postgres://vigil@db:5432/ingestion`, or `pglite:<folder>` for an embedded store. */
  readonly url: string;
  /** Largest number of connections; default 10. */
  readonly maxConnections?: number;
  /** A statement running longer than this is cancelled (ms); default 10 000. */
  readonly statementTimeoutMs?: number;
  /** Name shown in `pg_stat_activity`. */
  readonly applicationName?: string;
}

/**
 * A PostgreSQL connection pool behind the {@link SqlPool} interface; a `pglite:<folder>` URL
 * opens the embedded store instead (see {@link createEmbeddedPool}).
 */
export function createPostgresPool(options: PostgresPoolOptions): SqlPool {
  if (isEmbeddedUrl(options.url)) {
    return createEmbeddedPool(options.url);
  }
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: 5_000,
    application_name: options.applicationName ?? 'vigil',
  };
  const pool = new Pool(config);
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    query: async <Row>(text: string, values?: readonly unknown[]) => {
      const result = await pool.query(text, values as unknown[] | undefined);
      return { rows: result.rows as Row[] };
    },
    transaction: async <T>(work: (client: SqlClient) => Promise<T>): Promise<T> => {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const client: SqlClient = {
          query: async <Row>(text: string, values?: readonly unknown[]) => ({
            rows: (await connection.query(text, values as unknown[] | undefined)).rows as Row[],
          }),
        };
        const result = await work(client);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}
