import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './postgres-database';

const ADMIN_URL = process.env['VIGIL_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('createTestDatabase (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(() => db.drop());

  it('creates an empty database with a unique name that a client can use', async () => {
    expect(db.name).toMatch(/^vigil_test_[0-9a-f]{12}$/);
    await query(db.url, 'CREATE TABLE t (id int primary key)');
    await query(db.url, 'INSERT INTO t VALUES (1)');
    const rows = await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM t');
    expect(rows[0]?.n).toBe(1);
  });

  it('gives every call its own database', async () => {
    const other = await createTestDatabase();
    try {
      expect(other.name).not.toBe(db.name);
      const tables = await query(
        other.url,
        "SELECT 1 FROM information_schema.tables WHERE table_name = 't'",
      );
      expect(tables).toHaveLength(0);
    } finally {
      await other.drop();
    }
  });

  it('drops the database even while a client is still connected', async () => {
    const other = await createTestDatabase();
    const lingering = new Client({ connectionString: other.url });
    await lingering.connect();
    lingering.on('error', () => undefined);
    await other.drop();
    const left = await query(ADMIN_URL, 'SELECT 1 FROM pg_database WHERE datname = $1', [
      other.name,
    ]);
    expect(left).toHaveLength(0);
    await lingering.end().catch(() => undefined);
  });

  it('names the server and the variable to set when PostgreSQL is unreachable', async () => {
    await expect(
      createTestDatabase({ adminUrl: 'postgres://postgres:secret@127.0.0.1:1/postgres' }),
    ).rejects.toThrow(
      /cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres.*VIGIL_TEST_PG_URL/,
    );
  });
});
