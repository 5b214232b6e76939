import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectBus, SignalPublisher, type NatsConnection, type ReceivedMessage } from '@vigil/bus';
import { DEFAULT_SLA } from '@vigil/scans';
import { ApiError, EventOutbox } from '@vigil/service-kit';
import { findSchemasDir, SchemaRegistry, SignalValidator } from '@vigil/signals';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import {
  createTestDatabase,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { FindingRepository } from '../store/finding.repository';
import { SCANS_MIGRATIONS } from '../store/scans-migrations';
import { TicketRepository } from '../store/ticket.repository';
import { FindingIntake } from './finding-intake';
import { FindingStatusOutbox } from './finding-status-outbox';
import { FindingsService } from './findings.service';

const schemasDir = findSchemasDir() ?? 'schemas';
const example = JSON.parse(
  readFileSync(join(schemasDir, 'signals/finding/v1/examples/valid/open-port.json'), 'utf8'),
) as Record<string, unknown>;

function findingMessage(port: number): ReceivedMessage {
  const event = {
    ...example,
    id: `finding-${port}`,
    data: {
      ...(example['data'] as Record<string, unknown>),
      fingerprint: `vigil-ports:127.0.0.1:${port}`,
      location: { host: '127.0.0.1', port },
    },
  };
  const record = {
    event,
    vigil: {
      tenant: 'acme',
      keyId: 'k1',
      receivedAt: new Date().toISOString(),
      ingestId: `01JD3Q7N8X2M4K6P9R1T3V5W${String(port).slice(-2)}`,
      schema: 'urn:vigil:signal:finding:1',
    },
  };
  const data = Buffer.from(JSON.stringify(record));
  return {
    subject: 'signals.acme.finding',
    seq: port,
    deliveryCount: 1,
    data,
    headers: {},
    eventId: event.id,
    tenant: 'acme',
    json: <T>() => JSON.parse(data.toString()) as T,
  };
}

/**
 * The findings use case over its real repositories and outbox (PostgreSQL, nats-server); the
 * relay is not started, so committed events stay in the outbox to be looked at.
 */
describe('FindingsService (real PostgreSQL and nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let db: TestDatabase;
  let pool: SqlPool;
  let service: FindingsService;
  const outboxRows = async () =>
    (await pool.query<{ payload: string }>('SELECT payload FROM event_outbox ORDER BY id')).rows;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'findings-spec' });
    db = await createTestDatabase();
    pool = createPostgresPool({ url: db.url });
    await runMigrations(pool, 'scans', SCANS_MIGRATIONS);
    const findings = new FindingRepository(pool, DEFAULT_SLA);
    const intake = new FindingIntake(pool, findings, new TicketRepository(pool));
    for (const port of [6379, 5432, 9200]) {
      await intake.handle(findingMessage(port));
    }
    const outbox = new EventOutbox(pool, new SignalPublisher(nc));
    const validator = new SignalValidator(SchemaRegistry.fromDirectory(schemasDir));
    service = new FindingsService(
      findings,
      new FindingStatusOutbox(outbox, validator),
      outbox,
      pool,
    );
  });

  afterAll(async () => {
    await nc.close();
    await pool.close();
    await nats.stop();
    await db.drop();
  });

  it('pages findings with a cursor', async () => {
    const first = await service.list('acme', { limit: 2 });
    expect(first.findings).toHaveLength(2);
    expect(first.next).toBe(first.findings[1]?.id);
    const rest = await service.list('acme', { limit: 2, after: first.next ?? undefined });
    expect(rest.findings).toHaveLength(1);
    expect(rest.next).toBeNull();
    expect((await service.list('globex', { limit: 10 })).findings).toEqual([]);
  });

  it('commits a status change and its status signal together', async () => {
    const [finding] = (await service.list('acme', { limit: 1 })).findings;
    const id = finding?.id ?? '';
    const changed = await service.setStatus(
      'acme',
      id,
      { status: 'accepted', reason: 'internal only' },
      'key-1',
    );
    expect(changed).toMatchObject({ id, status: 'accepted', statusReason: 'internal only' });
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.payload ?? '{}')).toMatchObject({
      event: { type: 'finding', source: 'vigil://scans', data: { status: 'accepted' } },
    });
  });

  it('answers 404 for another tenant’s or an unknown finding, writing no event', async () => {
    const [finding] = (await service.list('acme', { limit: 1 })).findings;
    await expect(
      service.setStatus('globex', finding?.id ?? '', { status: 'open' }, 'key-2'),
    ).rejects.toBeInstanceOf(ApiError);
    await expect(service.get('acme', 'fnd_missing')).rejects.toMatchObject({ status: 404 });
    expect(await outboxRows()).toHaveLength(1);
  });
});
