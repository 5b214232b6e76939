import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedPool } from './embedded-pool';
import { runMigrations } from './migrations';

describe('embedded store (PGlite in a folder)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'vigil-pglite-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('runs migrations, commits and rolls back transactions, and keeps data across reopening', async () => {
    const url = `pglite:${folder}`;
    const pool = createEmbeddedPool(url);
    await runMigrations(pool, 'spec', [
      {
        id: '0001',
        sql: 'CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL, tags jsonb, at timestamptz DEFAULT now())',
      },
    ]);
    await pool.transaction(async (tx) => {
      await tx.query('INSERT INTO items (name, tags) VALUES ($1, $2)', [
        'kept',
        JSON.stringify(['a']),
      ]);
    });
    await expect(
      pool.transaction(async (tx) => {
        await tx.query('INSERT INTO items (name) VALUES ($1)', ['dropped']);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // A second pool on the same folder shares the instance (one process, one PGlite).
    const sibling = createEmbeddedPool(url);
    const { rows } = await sibling.query<{ name: string; tags: string[]; at: Date; n: number }>(
      'SELECT name, tags, at, count(*) OVER () AS n FROM items',
    );
    expect(rows).toEqual([{ name: 'kept', tags: ['a'], at: expect.any(Date), n: 1 }]);
    await pool.close();
    await sibling.close();

    const reopened = createEmbeddedPool(url);
    const again = await runMigrations(reopened, 'spec', [
      {
        id: '0001',
        sql: 'CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL, tags jsonb, at timestamptz DEFAULT now())',
      },
    ]);
    expect(again.alreadyApplied).toEqual(['0001']);
    expect((await reopened.query('SELECT name FROM items')).rows).toEqual([{ name: 'kept' }]);
    await reopened.close();
  }, 60_000);

  it('starts every new store as its own copy of one initialised cluster, with 16 MB of shared buffers', async () => {
    const pools = ['first', 'second'].map((name) =>
      createEmbeddedPool(`pglite:${join(folder, name)}`),
    );
    const [first, second] = pools as [
      ReturnType<typeof createEmbeddedPool>,
      ReturnType<typeof createEmbeddedPool>,
    ];
    await first.query('CREATE TABLE only_in_first (id int)');
    const tables = await second.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_first'",
    );
    expect(tables.rows).toEqual([{ n: 0 }]);
    expect((await second.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
    const cache = join(__dirname, '..', '..', '..', '..', 'node_modules', '.cache', 'vigil-pglite');
    expect(readdirSync(cache).some((name) => /^\d+\.\d+\.\d+-[\w-]+$/.test(name))).toBe(true);
    await Promise.all(pools.map((pool) => pool.close()));
  }, 60_000);
});
