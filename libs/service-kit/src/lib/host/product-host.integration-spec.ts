import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { JSONSchemaType } from 'ajv';
import {
  connectBus,
  ensureSignalStreams,
  ensureStream,
  listDeadLetters,
  PermanentFailure,
  type NatsConnection,
  type ReceivedMessage,
} from '@vigil/bus';
import type { ProductBasics } from '@vigil/config';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import { serveKeyDirectory, TENANT_MIGRATIONS, TenantRepository } from '@vigil/tenants';
import {
  createTestDatabase,
  eventually,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
  TEST_SIGNAL_STREAMS,
} from '@vigil/testing';
import { Auth } from '../auth.guard';
import { startProduct, type ProductApp } from '../product-app';
import { QuerySchemaPipe } from '../query-schema.pipe';
import { OnBusBatch, OnBusMessage } from './bus-handler.decorators';
import { BUS, PRODUCT_CONFIG } from './product-tokens';

const seen: string[] = [];
const text = (message: ReceivedMessage) => new TextDecoder().decode(message.data);
const batches: number[] = [];
let flakyFailures = 0;

/** A product's bus handlers, as any product writes them. */
@Controller()
class WorkHandler {
  constructor(@Inject(BUS) readonly nc: NatsConnection) {}

  @OnBusMessage('spec-work', { stream: 'WORK', filterSubject: 'work.one.>', maxDeliver: 5 })
  async onWork(message: ReceivedMessage): Promise<void> {
    const body = text(message);
    if (body === 'poison') {
      throw new PermanentFailure('a poison pill');
    }
    if (body === 'flaky' && flakyFailures++ === 0) {
      throw new Error('a transient failure');
    }
    seen.push(body);
  }

  @OnBusBatch('spec-batch', (config: ProductBasics & { batchSize: number }) => ({
    stream: 'WORK',
    filterSubject: 'work.many.>',
    maxMessages: config.batchSize,
    maxBytes: 1_000_000,
    maxAgeMs: 50,
  }))
  async onBatch(batch: readonly ReceivedMessage[]) {
    batches.push(batch.length);
    return {
      rejected: batch
        .filter((m) => text(m) === 'bad')
        .map((message) => ({ message, reason: 'bad item' })),
    };
  }
}

interface SpecQuery {
  limit: number;
  state?: 'open' | 'closed';
}

const SPEC_QUERY: JSONSchemaType<SpecQuery> = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 10, default: 5 },
    state: { type: 'string', enum: ['open', 'closed'], nullable: true },
  },
  required: ['limit'],
};

/** A public route with a typed query, to see the edge validation's answers. */
@Controller('spec')
class SpecController {
  constructor(@Inject(PRODUCT_CONFIG) private readonly config: ProductBasics) {}

  @Get()
  @Auth('read')
  read(@Query(new QuerySchemaPipe(SPEC_QUERY)) query: SpecQuery): SpecQuery & { host: string } {
    return { ...query, host: this.config.host };
  }
}

@Module({ controllers: [WorkHandler, SpecController] })
class SpecModule {}

describe('the product host (real nats-server, HTTP)', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let pool: SqlPool;
  let apiKey: string;
  let nc: NatsConnection;
  let product: ProductApp;
  let dataDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'spec-observer' });
    await ensureSignalStreams(nc, TEST_SIGNAL_STREAMS);
    await ensureStream(await jetstreamManager(nc), {
      name: 'WORK',
      subjects: ['work.>'],
      storage: StorageType.File,
    });
    // Ingestion's part: the platform store and the key directory the product asks.
    db = await createTestDatabase();
    pool = createPostgresPool({ url: db.url });
    await runMigrations(pool, 'platform', TENANT_MIGRATIONS);
    const tenants = new TenantRepository(pool);
    serveKeyDirectory(nc, tenants, () => undefined);
    apiKey = (await tenants.createTenant('acme')).apiKey;
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-host-'));
    const config = {
      logLevel: 'silent',
      host: '127.0.0.1',
      port: 0,
      dataDir,
      natsUrl: nats.url,
      natsCredentials: undefined,
      keyCacheTtlMs: 1_000,
      batchSize: 3,
    } as const;
    product = await startProduct(
      { name: 'spec', title: 'Spec API', config, modules: [SpecModule] },
      (line) => lines.push(line),
    );
  });

  afterAll(async () => {
    await product?.close();
    await nc?.close();
    await pool?.close();
    await db?.drop();
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('acks what a handler took, redelivers what failed, dead-letters a PermanentFailure with its reason', async () => {
    const js = jetstream(nc);
    for (const text of ['first', 'flaky', 'poison', 'last']) {
      await js.publish('work.one.x', text);
    }
    await eventually(async () => seen.includes('last') && seen.includes('flaky'), 15_000);
    expect(seen.filter((text) => text === 'flaky')).toHaveLength(1);
    await eventually(
      async () => (await listDeadLetters(nc)).some((d) => d.consumer === 'spec-work'),
      10_000,
    );
    const [dead] = (await listDeadLetters(nc)).filter((d) => d.consumer === 'spec-work');
    expect(dead).toMatchObject({
      reason: 'PermanentFailure: a poison pill',
      deliveries: 1,
      originalSubject: 'work.one.x',
    });
  });

  it('hands batches sized from the configuration and dead-letters what a batch rejects', async () => {
    const js = jetstream(nc);
    for (const text of ['a', 'b', 'bad', 'c', 'd']) {
      await js.publish('work.many.x', text);
    }
    await eventually(async () => batches.reduce((sum, n) => sum + n, 0) >= 5, 10_000);
    expect(Math.max(...batches)).toBeLessThanOrEqual(3);
    await eventually(
      async () => (await listDeadLetters(nc)).some((d) => d.consumer === 'spec-batch'),
      10_000,
    );
  });

  it('reports the bus and the consumers in /readyz, and answers health without a key', async () => {
    const ready = await fetch(`${product.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', checks: { bus: true, consumers: true } },
    ]);
    expect((await fetch(`${product.url}/metrics`)).status).toBe(200);
  });

  it('checks the key through the directory, types the query and refuses a bad parameter with a 400 naming it', async () => {
    const get = (query: string, key = apiKey) =>
      fetch(`${product.url}/spec${query}`, { headers: { authorization: `Bearer ${key}` } });
    expect((await fetch(`${product.url}/spec`)).status).toBe(401);
    expect((await get('', `${apiKey.slice(0, -2)}xx`)).status).toBe(401);
    const typed = await get('?state=open&unknown=1');
    expect([typed.status, await typed.json()]).toEqual([
      200,
      { limit: 5, state: 'open', host: '127.0.0.1' },
    ]);
    const refused = await get('?limit=50&state=gone');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: 'invalid-request',
      message: '"limit" must be <= 10',
      errors: [
        { parameter: 'limit', message: 'must be <= 10' },
        { parameter: 'state', message: 'must be one of open, closed' },
      ],
    });
  });

  it('stops its consumers on close: what arrives afterwards waits in the stream', async () => {
    await product.close();
    await jetstream(nc).publish('work.one.x', 'after-close');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).not.toContain('after-close');
    const info = await (await jetstreamManager(nc)).consumers.info('WORK', 'spec-work');
    expect(info.num_pending).toBe(1);
  });
});
