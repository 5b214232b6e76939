import { createTestDatabase, type TestDatabase } from '@vigil/testing';
import { runMigrations } from './migrations';
import { createPostgresPool } from './postgres-pool';
import type { SqlPool } from './sql-client';

describe('runMigrations (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: SqlPool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPostgresPool({ url: db.url });
  });

  afterAll(async () => {
    await pool.close();
    await db.drop();
  });

  const v1 = [{ id: '0001_things', sql: 'CREATE TABLE things (id int PRIMARY KEY)' }];

  it('applies pending migrations once, in order, and skips them on the next start', async () => {
    const second = { id: '0002_names', sql: 'ALTER TABLE things ADD COLUMN name text' };
    expect(await runMigrations(pool, 'demo', [second, ...v1])).toEqual({
      applied: ['0001_things', '0002_names'],
      alreadyApplied: [],
    });
    expect(await runMigrations(pool, 'demo', [...v1, second])).toEqual({
      applied: [],
      alreadyApplied: ['0001_things', '0002_names'],
    });
    await pool.query('INSERT INTO things (id, name) VALUES (1, $1)', ['a']);
  });

  it('applies each migration exactly once when instances start together', async () => {
    const concurrent = [
      { id: '0001_counter', sql: 'CREATE TABLE counter (n int)' },
      { id: '0002_row', sql: 'INSERT INTO counter VALUES (1)' },
    ];
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(pool, 'race', concurrent)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['0001_counter', '0002_row']);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM counter');
    expect(rows[0]?.n).toBe(1);
  });

  it('stops when a released migration was edited', async () => {
    await runMigrations(
      pool,
      'edited',
      v1.map((m) => ({ ...m, sql: m.sql.replace('things', 'edited_things') })),
    );
    await expect(
      runMigrations(pool, 'edited', [
        { id: '0001_things', sql: 'CREATE TABLE edited_things (id bigint)' },
      ]),
    ).rejects.toThrow(/edited\/0001_things was changed after it was applied/);
  });

  it('rolls back a failing migration entirely', async () => {
    const broken = [
      { id: '0001_half', sql: 'CREATE TABLE half (id int); INSERT INTO nowhere VALUES (1)' },
    ];
    await expect(runMigrations(pool, 'broken', broken)).rejects.toThrow(/nowhere/);
    const { rows } = await pool.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'half'",
    );
    expect(rows).toHaveLength(0);
  });
});
