import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A PostgreSQL database that belongs to one test file. */
export interface TestDatabase {
  /** The database's unique name, e.g. `vigil_test_1a2b3c4d5e6f`. */
  readonly name: string;
  /** Connection string for the database. */
  readonly url: string;
  /** Drops the database (disconnecting any client left open). Safe to call twice. */
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /**
   * Connection string of a database used only to create and drop the test database, with a
   * role allowed to create databases. Default: `VIGIL_TEST_PG_URL`, else
   * `postgres://postgres@127.0.0.1:5432/postgres` (the local server trusts local connections).
   */
  readonly adminUrl?: string;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Creates a fresh, empty database with a unique name on the local PostgreSQL server.
 * Always pair with `drop()` in `afterAll`.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  // Helpers are the one place outside an app's config that reads the environment: tests have no app.
  const adminUrl = options.adminUrl ?? process.env['VIGIL_TEST_PG_URL'] ?? DEFAULT_ADMIN_URL;
  const name = `vigil_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop: () => {
      dropped ??= withClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined);
      return dropped;
    },
  };
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach PostgreSQL at ${redact(url)}: ${(error as Error).message} — start it or set VIGIL_TEST_PG_URL`,
    );
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) {
    parsed.password = '***';
  }
  return parsed.toString();
}
