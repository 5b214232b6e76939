import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  eventually,
  startNatsServer,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { sampleAttackEnvelope } from '@vigil/signals/testing';

/** The parts of a query answer (or error) the journey looks at. */
interface QueryAnswer {
  rows?: unknown[][];
  error?: string;
}

const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef0123456789';

/**
 * Journey: signals ingested over HTTP are archived as Parquet by the archive service (its own
 * process) and queried back with SQL, each tenant seeing only its own (ingestion and archive
 * processes, real nats-server and PostgreSQL, local folder storage).
 */
describe('archive journey (ingestion and archive processes, real nats-server and PostgreSQL)', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let dataDir: string;
  let ingestion: ServiceProcess;
  let archive: ServiceProcess;
  const keys: Record<string, string> = {};

  async function query(
    key: string | undefined,
    body: unknown,
  ): Promise<{ status: number; json: QueryAnswer }> {
    const response = await fetch(`${archive.url}/v1/archive/query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as QueryAnswer };
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-archive-e2e-'));
    const env = {
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      VIGIL_PLATFORM_DATABASE_URL: db.url,
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
      LOG_LEVEL: 'warn',
    };
    ingestion = await startService('ingestion', env);
    archive = await startService('archive', { ...env, VIGIL_ARCHIVE_BATCH_AGE: '300ms' });
    for (const name of ['acme', 'globex']) {
      const response = await fetch(`${ingestion.url}/v1/admin/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      keys[name] = ((await response.json()) as { apiKey: string }).apiKey;
    }
  }, 60_000);

  afterAll(async () => {
    await archive?.stop();
    await ingestion?.stop();
    await nats?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('archives exactly the ingested signals and answers SQL per tenant', async () => {
    const batch = Array.from({ length: 250 }, (_, i) => sampleAttackEnvelope(`acme-${i}`));
    const posted = await fetch(`${ingestion.url}/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys['acme']}`, 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    expect(((await posted.json()) as { accepted: number }).accepted).toBe(250);

    await eventually(
      async () =>
        (await query(keys['acme'], { sql: 'SELECT count(*) FROM signals' })).json.rows?.[0]?.[0] ===
        250,
      20_000,
    );
    const byType = await query(keys['acme'], {
      sql: 'SELECT type, count(DISTINCT id) AS n FROM signals WHERE date = current_date GROUP BY type',
    });
    expect(byType.status).toBe(200);
    expect(byType.json.rows).toEqual([['attack', 250]]);
    const other = await query(keys['globex'], { sql: 'SELECT count(*) FROM signals' });
    expect(other.json.rows).toEqual([[0]]);
  });

  it('refuses requests without a key, bad SQL and SQL that reaches outside the view', async () => {
    expect((await query(undefined, { sql: 'SELECT 1' })).status).toBe(401);
    const invalid = await query(keys['acme'], { sql: 'SELEC 1' });
    expect(invalid).toMatchObject({ status: 400, json: { error: 'invalid-sql' } });
    const outside = await query(keys['acme'], {
      sql: `SELECT * FROM read_parquet('${dataDir}/archive/**/*.parquet')`,
    });
    expect(outside).toMatchObject({ status: 400, json: { error: 'sql-not-allowed' } });
    expect((await query(keys['acme'], { nosql: true })).status).toBe(400);
  });

  it('exposes archiving metrics', async () => {
    const metrics = await (await fetch(`${archive.url}/metrics`)).text();
    expect(metrics).toMatch(/vigil_archive_rows_total \d+/);
  });
});
