import { connectBus, ensureSignalStreams, type NatsConnection } from '@vigil/bus';
import { findSchemasDir, SchemaRegistry, SignalValidator } from '@vigil/signals';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import {
  createTestDatabase,
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
import { ResponsePublisher } from './response-publisher';
import { testDetection as detection } from '../testing/test-detection';

/**
 * Two dispatchers on two connection pools — two playbooks instances — racing over one
 * PostgreSQL database (real PostgreSQL and nats-server).
 */
describe('ResponseDispatcher under concurrent dispatch (two instances, real PostgreSQL)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let db: TestDatabase;
  const pools: SqlPool[] = [];
  let dispatchers: ResponseDispatcher[];

  const instance = (pool: SqlPool, cap: number, publisher: ResponsePublisher) =>
    new ResponseDispatcher(
      pool,
      new DetectionRepository(pool),
      new ResponseRepository(pool),
      new AllowlistRepository(pool),
      publisher,
      cap,
    );

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'dispatch-race' });
    await ensureSignalStreams(nc, TEST_SIGNAL_STREAMS);
    db = await createTestDatabase();
    pools.push(createPostgresPool({ url: db.url }), createPostgresPool({ url: db.url }));
    await runMigrations(pools[0] as SqlPool, 'playbooks', PLAYBOOKS_MIGRATIONS);
    const schemas = SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas');
    const publisher = new ResponsePublisher(nc, new SignalValidator(schemas));
    dispatchers = pools.map((pool) => instance(pool, 5, publisher));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await nc.close();
    await nats.stop();
    await db.drop();
  });

  const activeRows = async (app: string) =>
    (
      await (pools[0] as SqlPool).query<{ target_ip: string }>(
        "SELECT target_ip FROM responses WHERE tenant = 'acme' AND app = $1 AND status = 'active'",
        [app],
      )
    ).rows.map((row) => row.target_ip);

  it('blocks one target once, however many detections of it race', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (dispatchers[i % 2] as ResponseDispatcher).dispatch(detection('shop', '203.0.113.9')),
      ),
    );
    expect(outcomes.filter((o) => o === 'responded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already-blocked')).toHaveLength(19);
    expect(await activeRows('shop')).toEqual(['203.0.113.9']);
  });

  it('holds the per-application cap across instances', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (dispatchers[i % 2] as ResponseDispatcher).dispatch(
          detection('billing', `198.51.100.${i}`),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'responded')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'capped')).toHaveLength(7);
    expect(await activeRows('billing')).toHaveLength(5);
  });

  it('records a replayed attack whose block already ended as expired, and blocks nothing', async () => {
    const replayed = detection('archive-app', '203.0.113.77');
    const longAgo = new Date(Date.now() - 86_400_000).toISOString();
    const old = {
      ...replayed,
      detectedAt: longAgo,
      response: { action: 'block-ip' as const, ip: '203.0.113.77', until: longAgo },
    };
    expect(await (dispatchers[0] as ResponseDispatcher).dispatch(old)).toBe('expired');
    expect(await activeRows('archive-app')).toEqual([]);
    const outcome = await (pools[0] as SqlPool).query<{ outcome: string }>(
      'SELECT outcome FROM detections WHERE id = $1',
      [old.id],
    );
    expect(outcome.rows).toEqual([{ outcome: 'expired' }]);
  });

  it('lets the database refuse a second active block even without the dispatcher', async () => {
    await (pools[0] as SqlPool).query(
      `INSERT INTO detections (id, tenant, playbook_id, playbook_version, app, detected_at, outcome, evidence)
       VALUES ('det_manual1', 'acme', 'x', 0, 'shop', now(), 'responded', '{}')`,
    );
    const block = (id: string) =>
      (pools[0] as SqlPool).query(
        `INSERT INTO responses (id, tenant, app, action, target_ip, until, reason, playbook_id,
           playbook_version, playbook_name, detection_id, detected_at, simulated, status)
         VALUES ($1, 'acme', 'shop', 'block', '203.0.113.9', now() + interval '1 hour', 'r', 'x', 0,
           'x', 'det_manual1', now(), false, 'active')`,
        [id],
      );
    await expect(block('rsp_manual1')).rejects.toThrow(/responses_one_active_ip/);
  });
});
