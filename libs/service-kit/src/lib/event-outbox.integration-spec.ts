import { jetstreamManager } from '@nats-io/jetstream';
import {
  connectBus,
  ensureSignalStreams,
  SignalPublisher,
  SIGNALS_STREAM,
  type NatsConnection,
} from '@vigil/bus';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import {
  createTestDatabase,
  eventually,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
  TEST_SIGNAL_STREAMS,
} from '@vigil/testing';
import { EventOutbox, eventOutboxMigration } from './event-outbox';

const event = (id: string) => ({
  subject: 'signals.acme.finding',
  msgId: `acme:${id}`,
  payload: Buffer.from(JSON.stringify({ event: { id }, vigil: { tenant: 'acme' } })),
  headers: { 'Vigil-Tenant': 'acme', 'Vigil-Event-Id': id },
});

/** The transactional outbox against a bus that goes away (real nats-server and PostgreSQL). */
describe('EventOutbox (real nats-server and PostgreSQL)', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let pool: SqlPool;
  let nc: NatsConnection;
  let outbox: EventOutbox;
  const failures: unknown[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    pool = createPostgresPool({ url: db.url });
    await runMigrations(pool, 'outbox_spec', [eventOutboxMigration('0001_event_outbox')]);
    nc = await connectBus({ servers: nats.url, name: 'outbox-spec' });
    await ensureSignalStreams(nc, TEST_SIGNAL_STREAMS);
    outbox = new EventOutbox(pool, new SignalPublisher(nc, { ackTimeoutMs: 1_000 }), {
      intervalMs: 100,
      events: { failed: (error) => failures.push(error) },
    });
    outbox.start();
  });

  afterAll(async () => {
    await outbox?.stop();
    await nc?.close();
    await pool?.close();
    await nats?.stop();
    await db?.drop();
  });

  const stored = async () =>
    (await (await jetstreamManager(nc)).streams.info(SIGNALS_STREAM)).state.messages;

  it('publishes an event written with a committed change, never one of a rolled-back change, and keeps it through a bus outage', async () => {
    await pool.transaction((client) => outbox.add(client, event('e-1')));
    outbox.kick();
    await eventually(async () => (await stored()) === 1, 10_000);
    expect(await outbox.pending()).toBe(0);

    await expect(
      pool.transaction(async (client) => {
        await outbox.add(client, event('never'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    await nats.pause();
    await pool.transaction((client) => outbox.add(client, event('e-2')));
    outbox.kick();
    await eventually(() => failures.length > 0, 10_000);
    const { rows } = await pool.query<{ attempts: number; last_error: string }>(
      'SELECT attempts, last_error FROM event_outbox',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.attempts).toBeGreaterThan(0);
    expect(rows[0]?.last_error).toMatch(/bus is unavailable|NATS|connection/i);

    await nats.resume();
    await eventually(async () => (await outbox.pending()) === 0, 30_000);
    expect(await stored()).toBe(2); // e-1 and e-2; the rolled-back event never left
  }, 60_000);
});
