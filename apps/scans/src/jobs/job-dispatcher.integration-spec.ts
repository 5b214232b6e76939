import { connectBus, type NatsConnection } from '@vigil/bus';
import { ensureScanStreams, JobQueue } from '@vigil/scan-jobs';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import { TENANT_MIGRATIONS, TenantRepository } from '@vigil/tenants';
import {
  createTestDatabase,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { JobRepository } from '../store/job.repository';
import { SCANS_MIGRATIONS } from '../store/scans-migrations';
import { JobDispatcher } from './job-dispatcher';

const JOBS = 80;

/**
 * Two scans instances draining one outbox at once: each job is keyed and queued by one of them
 * (real PostgreSQL, nats-server).
 */
describe('JobDispatcher with two instances on one outbox (real PostgreSQL and nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let scansDb: TestDatabase;
  let platformDb: TestDatabase;
  const pools: SqlPool[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'dispatch-claims' });
    await ensureScanStreams(nc, { kinds: ['secrets'], ackWaitMs: 30_000, maxAttempts: 3 });
    scansDb = await createTestDatabase();
    platformDb = await createTestDatabase();
    pools.push(
      createPostgresPool({ url: scansDb.url }),
      createPostgresPool({ url: scansDb.url }),
      createPostgresPool({ url: platformDb.url }),
    );
    await runMigrations(pools[0] as SqlPool, 'scans', SCANS_MIGRATIONS);
    await runMigrations(pools[2] as SqlPool, 'platform', TENANT_MIGRATIONS);
    await new TenantRepository(pools[2] as SqlPool).createTenant('acme');
    const scans = pools[0] as SqlPool;
    await scans.query(
      `INSERT INTO scans (id, tenant, app, request) VALUES ('scn_1', 'acme', 'shop', '{}')`,
    );
    await scans.query(
      `INSERT INTO jobs (id, scan_id, tenant, kind, input, job_key, depth, deadline)
       SELECT 'job_' || n, 'scn_1', 'acme', 'secrets', '{}', 'key-' || n, 0, now() + interval '1 hour'
         FROM generate_series(1, $1) AS n`,
      [JOBS],
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await nc.close();
    await nats.stop();
    await scansDb.drop();
    await platformDb.drop();
  });

  it('keys and queues each job once, whichever instance gets it', async () => {
    const tenants = new TenantRepository(pools[2] as SqlPool);
    const errors: unknown[] = [];
    const dispatchers = [pools[0], pools[1]].map(
      (pool) =>
        new JobDispatcher(new JobRepository(pool as SqlPool), tenants, new JobQueue(nc), 3, (e) =>
          errors.push(e),
        ),
    );
    await Promise.all(dispatchers.flatMap((d) => [d.kick(), d.kick()]));
    expect(errors).toEqual([]);
    const { rows } = await (pools[0] as SqlPool).query<{ dispatched: boolean; keys: number }>(
      'SELECT dispatched, cardinality(key_ids) AS keys FROM jobs',
    );
    expect(rows.filter((row) => row.dispatched)).toHaveLength(JOBS);
    expect(rows.filter((row) => Number(row.keys) !== 1)).toEqual([]);
    expect(await tenants.listKeys('acme')).toHaveLength(JOBS + 1); // one per job, and the tenant's own
  });
});
