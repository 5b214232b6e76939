/**
 * @vigil/store — what every product's datastore shares: a small SQL client interface, a
 * PostgreSQL pool behind it, an embedded PostgreSQL (PGlite) for the one-command mode, and
 * per-component migrations.
 */
export type { SqlClient, SqlPool } from './lib/sql-client';
export { createPostgresPool, type PostgresPoolOptions } from './lib/postgres-pool';
export {
  createEmbeddedPool,
  describeDatabase,
  EMBEDDED_SCHEME,
  isEmbeddedUrl,
} from './lib/embedded-pool';
export { runMigrations, type Migration, type MigrationResult } from './lib/migrations';
