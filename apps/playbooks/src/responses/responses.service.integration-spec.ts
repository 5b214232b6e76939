import { jetstreamManager } from '@nats-io/jetstream';
import { Registry } from 'prom-client';
import { connectBus, ensureSignalStreams, SignalPublisher, type NatsConnection } from '@vigil/bus';
import { ApiError, EventOutbox } from '@vigil/service-kit';
import { findSchemasDir, SchemaRegistry, SignalValidator } from '@vigil/signals';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import {
  createTestDatabase,
  eventually,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
  TEST_SIGNAL_STREAMS,
} from '@vigil/testing';
import { AllowlistRepository } from '../store/allowlist.repository';
import { DetectionRepository } from '../store/detection.repository';
import { PLAYBOOKS_MIGRATIONS } from '../store/playbooks-migrations';
import { ResponseRepository } from '../store/response.repository';
import { ResponseDispatcher } from './response-dispatcher';
import { ResponseFeed } from './response-feed';
import { ResponsePublisher } from './response-publisher';
import { ResponsesService } from './responses.service';
import { testDetection } from '../testing/test-detection';

/** The responses use case over its real repositories (PostgreSQL) and bus (nats-server). */
describe('ResponsesService (real PostgreSQL and nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let db: TestDatabase;
  let pool: SqlPool;
  let feed: ResponseFeed;
  let outbox: EventOutbox;
  let service: ResponsesService;
  let dispatcher: ResponseDispatcher;
  let responses: ResponseRepository;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'responses-spec' });
    await ensureSignalStreams(nc, TEST_SIGNAL_STREAMS);
    db = await createTestDatabase();
    pool = createPostgresPool({ url: db.url });
    await runMigrations(pool, 'playbooks', PLAYBOOKS_MIGRATIONS);
    const schemas = SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas');
    const publisher = new ResponsePublisher(nc, new SignalValidator(schemas));
    responses = new ResponseRepository(pool);
    dispatcher = new ResponseDispatcher(
      pool,
      new DetectionRepository(pool),
      responses,
      new AllowlistRepository(pool),
      publisher,
      10,
    );
    feed = new ResponseFeed(nc);
    outbox = new EventOutbox(pool, new SignalPublisher(nc, { ackTimeoutMs: 1_000 }), {
      intervalMs: 100,
    });
    service = new ResponsesService(responses, feed, publisher, outbox, pool, new Registry());
  });

  afterAll(async () => {
    await outbox.stop();
    feed.close();
    await nc.close();
    await pool.close();
    await nats.stop();
    await db.drop();
  });

  const responseOf = async (ip: string): Promise<string> => {
    await dispatcher.dispatch(testDetection('shop', ip));
    const [active] = (await responses.active('acme', 'shop')).filter((r) =>
      JSON.stringify(r.target).includes(ip),
    );
    if (!active) {
      throw new Error(`no active response for ${ip}`);
    }
    return active.id;
  };

  it('commits the unblock signal with the revocation while the bus is down, and relays it once back', async () => {
    const id = await responseOf('203.0.113.10');
    const before = (await (await jetstreamManager(nc)).streams.info('SIGNALS')).state.messages;
    await nats.pause();
    try {
      const revoked = await service.revoke('acme', id);
      expect(revoked.status).toBe('revoked');
      const { rows } = await pool.query<{ subject: string; payload: string }>(
        'SELECT subject, payload FROM event_outbox',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.subject).toBe('signals.acme.response');
      expect(JSON.parse(rows[0]?.payload ?? '{}')).toMatchObject({
        event: { id: `${id}-unblock`, type: 'response', data: { action: 'unblock' } },
      });
    } finally {
      await nats.resume();
    }
    outbox.start();
    await eventually(
      async () => (await pool.query('SELECT 1 FROM event_outbox')).rows.length === 0,
      20_000,
    );
    const after = (await (await jetstreamManager(nc)).streams.info('SIGNALS')).state.messages;
    expect(after).toBe(before + 1);
  }, 30_000);

  it('refuses to revoke twice (409) or what does not exist (404)', async () => {
    const id = await responseOf('203.0.113.11');
    await service.revoke('acme', id);
    await expect(service.revoke('acme', id)).rejects.toMatchObject({ status: 409 });
    await expect(service.revoke('acme', 'rsp_missing')).rejects.toBeInstanceOf(ApiError);
    await expect(service.revoke('globex', id)).rejects.toMatchObject({ status: 404 });
  });

  it('takes an ack only from the key of the response’s application', async () => {
    const id = await responseOf('203.0.113.12');
    await expect(service.ack('acme', 'other-app', id, 'agent-1')).rejects.toMatchObject({
      status: 404,
    });
    await expect(service.ack('acme', 'shop', id, 'agent-1')).resolves.toBeUndefined();
  });
});
