import { sampleAttackData } from '@vigil/signals/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTenant,
  createTestDatabase,
  freePort,
  startNatsServer,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import type { RejectedSignal } from './sdk.types';
import { fetchValidator } from './remote-validator';
import { createClient, SignalRejectedError } from './vigil-client';

const OPERATOR_KEY = 'sdk-test-operator-key-0123456789abcdef0123';
const attack = sampleAttackData;

/** The SDK against a real ingestion process on a real nats-server and PostgreSQL. */
describe('VigilClient (real ingestion process, nats-server, PostgreSQL)', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let dataDir: string;
  let ingestion: ServiceProcess;
  let apiKey: string;

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${ingestion.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-sdk-'));
    ingestion = await startService('ingestion', {
      VIGIL_PORT: String(await freePort()),
      VIGIL_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      VIGIL_PLATFORM_DATABASE_URL: db.url,
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
      VIGIL_PUBLISH_ACK_TIMEOUT: '1s',
      // Low enough that one test can run into it (429), high enough for the others.
      VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND: '1000',
      VIGIL_RATE_LIMIT_PER_INSTANCE_BURST: '1000',
    });
    apiKey = await createTenant(ingestion.url, OPERATOR_KEY, 'acme');
  });

  afterAll(async () => {
    await ingestion?.stop();
    await nats?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function client(extra: Record<string, unknown> = {}) {
    return createClient({
      endpoint: ingestion.url,
      apiKey,
      source: 'agent://shop/1',
      subject: 'shop',
      retryBaseMs: 50,
      ...extra,
    });
  }

  it('delivers in batches of the configured size', async () => {
    const before = await metric('vigil_ingest_batch_size_count');
    const sdk = client({ maxBatchSize: 40 });
    for (let i = 0; i < 100; i++) {
      sdk.publish('attack', attack);
    }
    await sdk.close();
    expect(sdk.counters()).toMatchObject({ sent: 100, rejected: 0, dropped: 0, queued: 0 });
    expect((await metric('vigil_ingest_batch_size_count')) - before).toBe(3);
  });

  it('gets a retried batch deduplicated by the platform (ids are made by the client)', async () => {
    const sdk = client();
    const id = sdk.publish('attack', attack);
    await sdk.close();
    const before = await metric('vigil_ingest_signals_duplicate_total');
    const again = client();
    again.publish('attack', attack, { id });
    await again.close();
    expect((await metric('vigil_ingest_signals_duplicate_total')) - before).toBe(1);
  });

  it('reports signals the platform refuses to onRejected, without retrying them', async () => {
    const rejected: RejectedSignal[] = [];
    const sdk = client({ onRejected: (r: RejectedSignal) => rejected.push(r) });
    sdk.publish('attack', { ...attack, category: 'hacking' } as never);
    sdk.publish('attack', attack);
    await sdk.close();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.errors[0]).toMatchObject({ pointer: '/data/category', rule: 'enum' });
    expect(sdk.counters()).toMatchObject({ sent: 1, rejected: 1 });
  });

  it('backs off while ingestion answers 503 and delivers once NATS is back', async () => {
    await nats.pause();
    const sdk = client({ maxAttempts: 30 });
    sdk.publish('attack', attack);
    const closing = sdk.close();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sdk.counters().sent).toBe(0);
    await nats.resume();
    await closing;
    expect(sdk.counters()).toMatchObject({ sent: 1, dropped: 0 });
  });

  it('spools while the endpoint is unreachable and a restarted client drains the spool', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'vigil-sdk-spool-'));
    try {
      const offline = createClient({
        endpoint: 'http://127.0.0.1:1',
        apiKey,
        source: 'agent://shop/1',
        subject: 'shop',
        spoolDir,
        maxAttempts: 2,
        retryBaseMs: 10,
      });
      const id = offline.publish('attack', attack);
      await offline.close();
      expect(offline.counters()).toMatchObject({ spooled: 1, sent: 0 });

      const restarted = client({ spoolDir });
      await restarted.close();
      expect(restarted.counters()).toMatchObject({ spooled: 0, sent: 1 });
      const again = client();
      again.publish('attack', attack, { id });
      const before = await metric('vigil_ingest_signals_duplicate_total');
      await again.close();
      expect((await metric('vigil_ingest_signals_duplicate_total')) - before).toBe(1);
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });

  it('validates at the call site with the schemas fetched from the platform', async () => {
    const validator = await fetchValidator(ingestion.url);
    const sdk = createClient(
      { endpoint: ingestion.url, apiKey, source: 'agent://shop/1', subject: 'shop' },
      validator,
    );
    expect(() => sdk.publish('attack', { ...attack, actor: { ip: 'not-an-ip' } })).toThrow(
      SignalRejectedError,
    );
    sdk.publish('attack', attack);
    await sdk.close();
    expect(sdk.counters().sent).toBe(1);
  });

  it('publishes a tenant’s own type, typed by its payload, and validates it locally when asked', async () => {
    const registration = await fetch(`${ingestion.url}/v1/schemas`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'x-shop.order',
        description: 'An order of the shop',
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['orderId'],
          properties: { orderId: { type: 'string', maxLength: 32, description: 'Order id' } },
        },
      }),
    });
    expect(registration.status).toBe(201);
    interface ShopOrderV1 {
      orderId: string;
    }
    const validator = await fetchValidator(ingestion.url, { apiKey });
    const sdk = createClient(
      { endpoint: ingestion.url, apiKey, source: 'agent://shop/1', subject: 'shop' },
      validator,
    );
    expect(() => sdk.publish('x-shop.order', 1, { orderId: 7 })).toThrow(SignalRejectedError);
    sdk.publish<ShopOrderV1>('x-shop.order', 1, { orderId: 'o-1' });
    await sdk.close();
    expect(sdk.counters()).toMatchObject({ sent: 1, rejected: 0 });
    const anonymous = await fetchValidator(ingestion.url);
    const unknown = anonymous.validate({
      specversion: '1.0',
      id: 'x',
      source: 'agent://shop/1',
      type: 'x-shop.order',
      time: new Date().toISOString(),
      subject: 'shop',
      data: { orderId: 'o-2' },
    });
    expect(unknown).toMatchObject({
      valid: false,
      issues: [expect.objectContaining({ rule: 'unknown-type' })],
    });
  });

  it('waits out a 429 rate limit (Retry-After) and delivers everything', async () => {
    const limited = 'vigil_ingest_requests_total\\{status="429"\\}';
    const before = await metric(limited);
    const sdk = client({ maxBatchSize: 500, concurrency: 1, maxAttempts: 10 });
    for (let i = 0; i < 2_500; i++) {
      sdk.publish('attack', attack);
    }
    await sdk.close();
    expect(sdk.counters()).toMatchObject({ sent: 2_500, dropped: 0 });
    expect((await metric(limited)) - before).toBeGreaterThan(0);
  });
});
