import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTenant,
  createTestDatabase,
  eventually,
  startNatsServer,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  BusHeaders,
  connectBus,
  REPLAY_STREAM,
  replayFilter,
  type NatsConnection,
} from '@vigil/bus';
import { runVigil, spawnVigil } from '../support/run-vigil';

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
  let env: Record<string, string>;
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
    env = {
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
      keys[name] = await createTenant(ingestion.url, OPERATOR_KEY, name);
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

  describe('vigil archive query and vigil replay (built CLI)', () => {
    let nc: NatsConnection;
    let archivedOrder: string[];
    const cli = () => ({
      VIGIL_URL: archive.url,
      VIGIL_API_KEY: keys['acme'] ?? '',
      NATS_URL: nats.url,
      VIGIL_DATA_DIR: dataDir,
    });
    const hour = 3_600_000;
    // Absolute times: a replay is identified (and resumed) by its exact window.
    const window = [
      ...['--tenant', 'acme'],
      ...['--from', new Date(Date.now() - hour).toISOString()],
      ...['--to', new Date(Date.now() + hour).toISOString()],
    ];

    beforeAll(async () => {
      nc = await connectBus({ servers: nats.url, name: 'archive-cli-e2e' });
      // The products these replays go to, as their durable consumers would read them.
      const jsm = await jetstreamManager(nc);
      for (const product of ['newproduct', 'slowproduct', 'p']) {
        await jsm.consumers.add(REPLAY_STREAM, {
          durable_name: product,
          filter_subject: replayFilter(product),
          ack_policy: AckPolicy.Explicit,
        });
      }
      const ordered = await query(keys['acme'], {
        sql: 'SELECT id FROM signals ORDER BY stream_seq',
      });
      archivedOrder = (ordered.json.rows ?? []).map((row) => String(row[0]));
    });

    afterAll(() => nc?.close());

    /** Event ids stored on a product's replay subjects, in stream order. */
    async function replayed(product: string): Promise<string[]> {
      const info = await (
        await jetstreamManager(nc)
      ).streams.info(REPLAY_STREAM, { subjects_filter: replayFilter(product) });
      const stored = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
      const consumer = await jetstream(nc).consumers.get(REPLAY_STREAM, {
        filter_subjects: replayFilter(product),
      });
      const ids: string[] = [];
      const batch = await consumer.fetch({ max_messages: Math.max(stored, 1), expires: 2_000 });
      for await (const message of batch) {
        ids.push(message.headers?.get(BusHeaders.eventId) ?? '');
      }
      return ids;
    }

    it('prints a table, CSV or JSON, and refuses bad SQL and bad usage', async () => {
      expect(archivedOrder).toHaveLength(250);
      const sql = 'SELECT type, count(*) AS n FROM signals GROUP BY type';
      const table = await runVigil(['archive', 'query', sql], cli());
      expect([table.code, table.stdout]).toEqual([0, 'type   | n\n-------+----\nattack | 250\n']);
      expect(table.stderr).toMatch(/^1 row\(s\), \d+ file\(s\) read in \d+ ms/);
      const csv = await runVigil(['archive', 'query', '--csv', sql], cli());
      expect(csv.stdout).toBe('type,n\nattack,250\n');
      const json = await runVigil(
        ['archive', 'query', '--json', '--max-rows', '1', 'SELECT id FROM signals'],
        cli(),
      );
      expect(JSON.parse(json.stdout)).toMatchObject({
        truncated: true,
        rows: [[expect.any(String)]],
      });

      const outside = await runVigil(
        ['archive', 'query', "SELECT * FROM read_csv('/etc/passwd')"],
        cli(),
      );
      expect(outside.code).toBe(1);
      expect(outside.stderr).toMatch(/vigil: .*\(HTTP 400\)/);
      const noKey = await runVigil(['archive', 'query', 'SELECT 1'], {
        ...cli(),
        VIGIL_API_KEY: '',
      });
      expect([noKey.code, noKey.stderr]).toEqual([
        1,
        'vigil: no API key: pass --api-key, set VIGIL_API_KEY, or run where npm start saved .vigil/api.key (VIGIL_DATA_DIR)\n',
      ]);
      const both = await runVigil(['archive', 'query', '--json', '--csv', 'SELECT 1'], cli());
      expect([both.code, both.stderr]).toEqual([2, 'vigil: choose one of --json and --csv\n']);
    });

    it('replays exactly the archived signals in their order to a product, and again changes nothing', async () => {
      const run = await runVigil(
        ['replay', ...window, '--to-product', 'newproduct', '--rate', '5000'],
        cli(),
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^replayed 250 signal\(s\) to replay\.newproduct\.acme\.\*/);
      expect(await replayed('newproduct')).toEqual(archivedOrder);

      const again = await runVigil(
        ['replay', ...window, '--to-product', 'newproduct', '--restart'],
        cli(),
      );
      expect(again.code).toBe(0);
      expect(await replayed('newproduct')).toEqual(archivedOrder);
    });

    it('stops on Ctrl-C with exit code 130 and resumes where it stopped', async () => {
      const args = ['replay', ...window, '--to-product', 'slowproduct', '--rate', '60'];
      const first = spawnVigil(args, cli());
      await eventually(() => /replay \w+: [1-9]\d*\/250/.test(first.stderr()), 15_000);
      first.child.kill('SIGINT');
      const stopped = await first.finished;
      expect(stopped.code).toBe(130);
      expect(stopped.stdout).toMatch(/stopped at \d+\/250 signals; run the same command to resume/);
      expect(stopped.stdout).toContain('vigil replay --tenant acme --from 20');
      const partial = await replayed('slowproduct');
      expect(partial.length).toBeLessThan(250);

      const resumed = await runVigil([...args.slice(0, -1), '5000', '--json'], cli());
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(/resuming replay \w+ after \d+ signals/);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ done: true, published: 250, total: 250 });
      expect(await replayed('slowproduct')).toEqual(archivedOrder);
    });

    it('says when a window holds nothing, and refuses bad options with exit code 2', async () => {
      const empty = await runVigil(
        [
          'replay',
          '--tenant',
          'acme',
          '--from',
          '2020-01-01',
          '--to',
          '2020-01-02',
          '--to-product',
          'p',
        ],
        cli(),
      );
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(
        /nothing to replay: the archive holds no signals of tenant acme/,
      );
      const unread = await runVigil(['replay', ...window, '--to-product', 'nobody'], cli());
      expect([unread.code, unread.stderr.trim()]).toEqual([
        2,
        'vigil: --to-product "nobody": no consumer on this bus reads its replays (replay.nobody.>); products that do: newproduct, p, slowproduct',
      ]);
      for (const bad of [
        ['--to-product', 'Bad!'],
        ['--to-product', 'p', '--rate', '0'],
        ['--to-product', 'p', '--from', 'yesterday'],
      ]) {
        const run = await runVigil(['replay', ...window, ...bad], cli());
        expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/^vigil: --/)]);
      }
    });
  });

  it('exports a window as newline-delimited JSON per tenant, and a backtest over too large a window is refused naming its bound', async () => {
    const exportOf = (key: string | undefined, body: unknown) =>
      fetch(`${archive.url}/v1/archive/export`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const today = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
      types: ['attack'],
    };
    const acme = await exportOf(keys['acme'], today);
    expect(acme.headers.get('content-type')).toContain('application/x-ndjson');
    expect(acme.headers.get('x-vigil-signal-count')).toBe('250');
    const lines = (await acme.text()).trim().split('\n');
    expect(lines).toHaveLength(250);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ vigil: { tenant: 'acme' } });
    const globex = await exportOf(keys['globex'], today);
    expect([globex.headers.get('x-vigil-signal-count'), await globex.text()]).toEqual(['0', '']);
    expect((await exportOf(keys['acme'], { from: 'yesterday' })).status).toBe(400);
    expect((await exportOf(undefined, today)).status).toBe(401);

    const playbooksDb = await createTestDatabase();
    const playbooks = await startService('playbooks', {
      ...env,
      VIGIL_PLAYBOOKS_DATABASE_URL: playbooksDb.url,
      VIGIL_ARCHIVE_URL: archive.url,
      VIGIL_PLAYBOOKS_BACKTEST_MAX_SIGNALS: '100',
    });
    try {
      const tooLarge = await fetch(`${playbooks.url}/v1/playbooks/backtest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys['acme']}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'attack-peak', from: today.from, to: today.to }),
      });
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toMatchObject({
        error: 'backtest-too-large',
        message: expect.stringContaining('VIGIL_PLAYBOOKS_BACKTEST_MAX_SIGNALS'),
      });
    } finally {
      await playbooks.stop();
      await playbooksDb.drop();
    }
  }, 60_000);

  it('exposes archiving metrics', async () => {
    const metrics = await (await fetch(`${archive.url}/metrics`)).text();
    expect(metrics).toMatch(/vigil_archive_rows_total \d+/);
  });
});
