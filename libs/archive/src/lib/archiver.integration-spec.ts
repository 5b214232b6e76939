import { copyFile, mkdtemp, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectBus,
  DurableConsumer,
  listDeadLetters,
  SignalPublisher,
  type NatsConnection,
} from '@vigil/bus';
import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { ArchiveCatalog } from './archive-catalog';
import { provisionTestStreams } from './archive-test-helpers';
import { ArchiveQueryEngine, ArchiveQueryError } from './archive-query';
import type { ArchiveStorage } from './archive-storage';
import { Archiver } from './archiver';
import { LocalArchiveStorage } from './local-archive-storage';
import { EmptyReplayError, Replayer, ReplayCheckpointFiles } from './replayer';

const RECEIVED = [
  '2026-11-20T09:15:00.000Z',
  '2026-11-20T10:30:00.000Z',
  '2026-11-21T08:00:00.000Z',
];

/** A record as ingestion publishes it. */
function record(tenant: string, type: 'attack' | 'auth', index: number) {
  const id = `${tenant}-${type}-${String(index).padStart(4, '0')}`;
  const event =
    type === 'attack'
      ? sampleAttackEnvelope(id)
      : {
          ...sampleAttackEnvelope(id, { type: 'auth' }),
          data: { outcome: 'failure', user: { login: `u${index}` }, actor: { ip: '198.51.100.7' } },
        };
  return {
    event,
    vigil: {
      tenant,
      keyId: 'key-1',
      receivedAt: RECEIVED[index % RECEIVED.length] as string,
      ingestId: `ing-${id}`,
      schema: `urn:vigil:signal:${type}:1`,
      clientIp: '10.0.0.1',
    },
  };
}

/** Stores files, and on the n-th one, once it is stored, "kills the process": its bus connection goes. */
class DyingStorage extends LocalArchiveStorage {
  private stored = 0;
  died = false;

  constructor(
    root: string,
    private readonly dieAfter: number,
    private readonly kill: () => Promise<void>,
  ) {
    super(root);
  }

  override async putFile(key: string, localPath: string): Promise<void> {
    await super.putFile(key, localPath);
    this.stored++;
    if (this.stored === this.dieAfter) {
      await this.kill();
      this.died = true;
      throw new Error('killed');
    }
  }
}

describe('Archiver, SQL and replay over a local folder (real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let root: string;
  let storage: LocalArchiveStorage;
  let engine: ArchiveQueryEngine;
  const stoppable: Array<{ stop(): Promise<void> }> = [];
  const N_PER_GROUP = 150;

  async function count(tenant: string, where = 'true'): Promise<number> {
    const result = await engine.run({ tenant, sql: `SELECT count(*) FROM signals WHERE ${where}` });
    return result.rows[0]?.[0] as number;
  }

  async function archiverFor(target: ArchiveStorage, connection = nc): Promise<Archiver> {
    return Archiver.start(connection, target, {
      maxRows: 100,
      maxBytes: 8 * 1024 * 1024,
      maxAgeMs: 300,
      ackWaitMs: 1_500,
      retryDelayMs: () => 100,
      stagingDir: join(root, '_staging'),
    });
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'archive-test' });
    await provisionTestStreams(nc);
    root = await mkdtemp(join(tmpdir(), 'vigil-archive-'));
    storage = new LocalArchiveStorage(root);
    engine = new ArchiveQueryEngine(new ArchiveCatalog(storage), {
      timeoutMs: 1_000,
      maxRows: 1_000,
      memoryLimit: '256MB',
      threads: 1,
    });
    const publisher = new SignalPublisher(nc);
    const sends = [];
    for (const tenant of ['acme', 'globex']) {
      for (const type of ['attack', 'auth'] as const) {
        for (let i = 0; i < N_PER_GROUP; i++) {
          const body = record(tenant, type, i);
          sends.push(
            publisher.publish({
              subject: `signals.${tenant}.${type}`,
              msgId: `${tenant}:${body.event['id'] as string}`,
              payload: Buffer.from(JSON.stringify(body)),
            }),
          );
        }
      }
    }
    await Promise.all(sends);
  });

  afterAll(async () => {
    await Promise.all(stoppable.map((s) => s.stop()));
    await nc.close();
    await nats.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('archives every signal exactly once although the archiver died mid-batch and restarted', async () => {
    const doomed = await connectBus({ servers: nats.url, name: 'archiver-that-dies' });
    // The process dies after storing a file, before acknowledging the batch in hand.
    const dying = new DyingStorage(root, 3, () => doomed.close());
    const dead = await archiverFor(dying, doomed);
    await eventually(() => dying.died);
    await dead.stop().catch(() => undefined);

    const archiver = await archiverFor(storage);
    stoppable.push(archiver);
    await eventually(
      async () => (await count('acme')) + (await count('globex')) === 4 * N_PER_GROUP,
    );
    // Past the redelivery time: nothing more arrives, and nothing was written twice.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await count('acme')).toBe(2 * N_PER_GROUP);
    expect(await count('globex')).toBe(2 * N_PER_GROUP);
    const distinct = await engine.run({
      tenant: 'acme',
      sql: 'SELECT count(DISTINCT id) FROM signals',
    });
    expect(distinct.rows[0]?.[0]).toBe(2 * N_PER_GROUP);
  });

  it('dead-letters records that are not signal records, where vigil dlq list finds them, and archives the rest', async () => {
    nc.publish('signals.acme.attack', 'not json {');
    nc.publish(
      'signals.acme.attack',
      JSON.stringify({ event: { id: 'x' }, vigil: { tenant: 'acme' } }),
    );
    await nc.flush();
    await eventually(
      async () => (await listDeadLetters(nc, { consumer: 'archiver' })).length === 2,
    );
    const reasons = (await listDeadLetters(nc, { consumer: 'archiver' })).map((d) => d.reason);
    expect(reasons).toEqual([
      'the message is not JSON',
      'the signal record\'s event has no string "type"',
    ]);
    expect(await count('acme')).toBe(2 * N_PER_GROUP);
  });

  it('answers queries by type and time over the tenant partitions, with Hive partition columns', async () => {
    expect(await count('acme', "type = 'auth'")).toBe(N_PER_GROUP);
    expect(await count('acme', "date = DATE '2026-11-21'")).toBe(2 * (N_PER_GROUP / 3));
    expect(
      await count(
        'acme',
        "received_at >= TIMESTAMPTZ '2026-11-20T10:00:00Z' AND received_at < TIMESTAMPTZ '2026-11-20T11:00:00Z'",
      ),
    ).toBe(2 * (N_PER_GROUP / 3));
    const byHour = await engine.run({
      tenant: 'globex',
      sql: "SELECT hour, count(*) AS n FROM signals WHERE type = 'attack' GROUP BY hour ORDER BY hour",
    });
    expect(byHour.rows).toEqual([
      [8, N_PER_GROUP / 3],
      [9, N_PER_GROUP / 3],
      [10, N_PER_GROUP / 3],
    ]);
    const row = await engine.run({
      tenant: 'acme',
      sql: "SELECT tenant, subject, data->>'$.category' AS category, client_ip FROM signals WHERE id = 'acme-attack-0001'",
    });
    expect(row.rows).toEqual([['acme', 'shop', 'sqli', '10.0.0.1']]);
  });

  it('keeps each tenant inside its own partitions and refuses SQL that reads files or writes', async () => {
    const leak = await engine.run({
      tenant: 'acme',
      sql: "SELECT count(*) FROM signals WHERE tenant <> 'acme'",
    });
    expect(leak.rows).toEqual([[0]]);
    const globexFile = join(root, 'tenant=globex');
    const attempts = [
      `SELECT * FROM read_parquet('${globexFile}/*/*/*/*.parquet')`,
      `SELECT * FROM '${globexFile}/type=auth/date=2026-11-21/hour=08/x.parquet'`,
      "SELECT * FROM read_csv('/etc/passwd')",
      "COPY (SELECT * FROM signals) TO '/tmp/stolen.csv'",
      'CREATE TABLE t AS SELECT 1',
      "ATTACH '/tmp/other.db'",
      "SELECT getenv('HOME')",
      'SET enable_external_access = true',
    ];
    for (const sql of attempts) {
      const refused = await engine.run({ tenant: 'acme', sql }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ArchiveQueryError);
      expect((refused as ArchiveQueryError).code).toBe('sql-not-allowed');
    }
  });

  it('stops a query that runs too long and caps the rows returned', async () => {
    const slow = await engine
      .run({
        tenant: 'acme',
        sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000000) SELECT count(*) FROM r',
      })
      .catch((error: unknown) => error);
    expect((slow as ArchiveQueryError).code).toBe('query-timeout');
    const capped = await engine.run({ tenant: 'acme', sql: 'SELECT id FROM signals', maxRows: 10 });
    expect(capped.rows).toHaveLength(10);
    expect(capped.truncated).toBe(true);
  });

  it('refuses row generators, and a query that exhausts its memory costs only its caller an error', async () => {
    const generators = [
      'SELECT sum(x) FROM (SELECT unnest(generate_series(1,3000000000)) x)',
      'SELECT count(*) FROM (SELECT unnest(range(3000000000)))',
      "SELECT length(repeat('x', 2000000000))",
      'SELECT len(list_resize([1], 2000000000))',
    ];
    for (const sql of generators) {
      const refused = await engine.run({ tenant: 'acme', sql }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'sql-not-allowed' });
      expect((refused as Error).message).toMatch(/generates data/);
    }
    const small = new ArchiveQueryEngine(new ArchiveCatalog(storage), {
      timeoutMs: 20_000,
      maxRows: 10,
      memoryLimit: '4GB', // above the process limit on purpose: the operating system stops it
      threads: 1,
      processMemoryBytes: 768 * 1024 ** 2,
    });
    // Doubles a string 40 times (a terabyte) without any generator function.
    const runaway = await small
      .run({
        tenant: 'acme',
        sql: "WITH RECURSIVE r(n, s) AS (SELECT 1, 'x' UNION ALL SELECT n + 1, s || s FROM r WHERE n < 40) SELECT max(length(s)) FROM r",
      })
      .catch((error: unknown) => error);
    expect(runaway).toMatchObject({ code: 'query-too-large' });
    expect(await count('acme', "type = 'auth'")).toBe(N_PER_GROUP);
  });

  it('bounds the queries running at once', async () => {
    const limited = new ArchiveQueryEngine(new ArchiveCatalog(storage), {
      timeoutMs: 1_000,
      maxRows: 10,
      memoryLimit: '256MB',
      threads: 1,
      concurrency: 1,
    });
    const slow = limited
      .run({
        tenant: 'acme',
        sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000000) SELECT count(*) FROM r',
      })
      .catch((error: unknown) => error);
    const busy = await limited
      .run({ tenant: 'acme', sql: 'SELECT 1' })
      .catch((error: unknown) => error);
    expect(busy).toMatchObject({ code: 'query-busy' });
    expect(await slow).toMatchObject({ code: 'query-timeout' });
    expect((await limited.run({ tenant: 'acme', sql: 'SELECT 1' })).rows).toEqual([[1]]);
  });

  it('skips damaged and half-written files with a warning, in queries and in replays', async () => {
    const warnings: string[] = [];
    const catalog = new ArchiveCatalog(storage);
    const warned = new ArchiveQueryEngine(
      catalog,
      { timeoutMs: 5_000, maxRows: 10, memoryLimit: '256MB', threads: 1 },
      (w) => warnings.push(w),
    );
    const [good] = (await catalog.list({ tenant: 'acme' })).files;
    if (!good) {
      throw new Error('the archive should hold files by now');
    }
    const partition = join(root, 'tenant=acme/type=auth/date=2026-11-21/hour=08');
    await mkdir(partition, { recursive: true });
    await writeFile(
      join(partition, 'part-garbage.parquet'),
      'PAR1 this is not parquet at all PAR1',
    );
    await copyFile(good.path, join(partition, 'part-half.parquet'));
    await truncate(join(partition, 'part-half.parquet'), 200);
    const result = await warned.run({ tenant: 'acme', sql: 'SELECT count(*) FROM signals' });
    expect(result.rows).toEqual([[2 * N_PER_GROUP]]);
    expect(result.skippedFiles.map((f) => f.key.split('/').pop()).sort()).toEqual([
      'part-garbage.parquet',
      'part-half.parquet',
    ]);
    expect(warnings.some((w) => w.includes('part-half.parquet'))).toBe(true);
  });

  it('replays a window in stream order to the product replay subject, resumably, and says when a window is empty', async () => {
    const seen: Array<{ id: string; seq: number; subject: string }> = [];
    const consumer = await DurableConsumer.start(
      nc,
      { durable: 'replay-reader', filterSubject: 'signals.none.>', readReplays: true },
      async (m) => {
        seen.push({ id: m.eventId ?? '', seq: m.seq, subject: m.subject });
      },
    );
    stoppable.push(consumer);
    const replayPublisher = new SignalPublisher(nc);
    const replayer = new Replayer(new ArchiveCatalog(storage), (message) =>
      replayPublisher.publish(message),
    );
    const request = {
      tenant: 'acme',
      types: ['auth'],
      from: new Date('2026-11-20T10:00:00Z'),
      to: new Date('2026-11-21T09:00:00Z'),
      product: 'replay-reader',
      ratePerSecond: 5_000,
    };
    // First run stopped early, second resumes from its checkpoint.
    const checkpoints = new ReplayCheckpointFiles(join(root, '_replays'));
    const stop = new AbortController();
    const first = await replayer.run(request, {
      signal: stop.signal,
      onProgress: async (progress) => {
        await checkpoints.save(progress);
        stop.abort();
      },
    });
    expect(first.stopped).toBe(true);
    const resumed = await replayer.run(request, {
      checkpoint: await checkpoints.load(first.replayId),
    });
    const expected = 2 * (N_PER_GROUP / 3);
    expect(resumed).toMatchObject({
      done: true,
      stopped: false,
      published: expected,
      total: expected,
    });
    await eventually(() => seen.length === expected);
    const archivedOrder = await engine.run({
      tenant: 'acme',
      sql: "SELECT id FROM signals WHERE type = 'auth' AND received_at >= TIMESTAMPTZ '2026-11-20T10:00:00Z' ORDER BY stream_seq",
    });
    expect(seen.map((s) => s.id)).toEqual(archivedOrder.rows.map((r) => r[0]));
    expect(new Set(seen.map((s) => s.subject))).toEqual(
      new Set(['replay.replay-reader.acme.auth']),
    );

    const empty = await replayer
      .run({
        ...request,
        from: new Date('2020-01-01T00:00:00Z'),
        to: new Date('2020-01-02T00:00:00Z'),
      })
      .catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(EmptyReplayError);
    expect((empty as Error).message).toMatch(
      /nothing to replay: the archive holds no auth signals of tenant acme/,
    );
  });
});
