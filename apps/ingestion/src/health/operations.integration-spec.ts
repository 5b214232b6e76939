import { connect } from 'node:net';
import {
  attackEnvelope,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

/** Sends raw bytes and resolves with whatever the server answers before closing (or '' if it closes silently). */
function rawExchange(
  port: number,
  send: (write: (text: string) => void) => void,
  waitMs: number,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => send((text) => socket.write(text)));
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`TIMEOUT:${received}`);
    }, waitMs);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', () => undefined);
  });
}

/** Operations: health, schemas, OpenAPI, slow clients, rate limits, outages (real nats-server, PostgreSQL, HTTP). */
describe('ingestion operations (real nats-server, PostgreSQL, HTTP)', () => {
  let h: IngestionHarness;
  let key: string;

  beforeAll(async () => {
    h = await startIngestionHarness({
      VIGIL_HEADERS_TIMEOUT: '1s',
      VIGIL_REQUEST_TIMEOUT: '2s',
      VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND: '5',
      VIGIL_RATE_LIMIT_PER_INSTANCE_BURST: '20',
      VIGIL_MAX_BATCH_ITEMS: '20',
      VIGIL_PUBLISH_ACK_TIMEOUT: '2s',
    });
    key = await h.createTenant('acme');
  });

  afterAll(() => h.stop());

  it('serves the schema registry', async () => {
    const all = (await (await fetch(`${h.url}/v1/schemas`)).json()) as {
      schemas: Array<{ id: string }>;
    };
    expect(all.schemas.map((s) => s.id)).toEqual(
      expect.arrayContaining(['urn:vigil:envelope:1', 'urn:vigil:signal:attack:1']),
    );
    const attack = (await (await fetch(`${h.url}/v1/schemas/attack/1`)).json()) as {
      schema: { title: string };
    };
    expect(attack.schema.title).toBe('Attack signal, version 1');
    const missing = await fetch(`${h.url}/v1/schemas/attack/7`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('known versions: 1');
  });

  it('publishes an OpenAPI document of its routes', async () => {
    const doc = (await (await fetch(`${h.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/signals', '/v1/admin/tenants', '/v1/admin/keys', '/v1/schemas']),
    );
  });

  it('answers liveness and readiness', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', checks: { nats: true, store: true, schemas: true } },
    ]);
  });

  it('cuts off a client whose headers do not arrive in time', async () => {
    const port = Number(new URL(h.url).port);
    const answer = await rawExchange(
      port,
      (write) => write('POST /v1/signals HTTP/1.1\r\nHost: x\r\n'),
      8_000,
    );
    expect(answer.startsWith('TIMEOUT')).toBe(false);
  });

  it('answers 408 to a client whose body does not arrive in time', async () => {
    const port = Number(new URL(h.url).port);
    const head = `POST /v1/signals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[`;
    const answer = await rawExchange(port, (write) => write(head), 8_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 429 with Retry-After when a tenant exceeds its signal rate, without affecting others', async () => {
    const batch = JSON.stringify(Array.from({ length: 20 }, (_, i) => attackEnvelope(`rate-${i}`)));
    expect((await postSignals(h.url, key, batch)).status).toBe(202);
    const limited = await postSignals(
      h.url,
      key,
      JSON.stringify([attackEnvelope('rate-over-1'), attackEnvelope('rate-over-2')]),
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body['error']).toBe('rate-limited');
    const other = await h.createTenant('calm');
    expect(
      (await postSignals(h.url, other, JSON.stringify([attackEnvelope('calm-1')]))).status,
    ).toBe(202);
  });

  it('answers 503 with Retry-After while NATS is down, reports nothing accepted, and recovers without a restart', async () => {
    const other = await h.createTenant('outage');
    const before = await h.streamMessages();
    await h.nats.pause();
    const during = await postSignals(
      h.url,
      other,
      JSON.stringify([attackEnvelope('outage-1'), attackEnvelope('outage-2')]),
    );
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('2');
    expect(during.body).toEqual({
      error: 'bus-unavailable',
      message: expect.stringContaining('nothing was reported accepted'),
    });
    const notReady = await fetch(`${h.url}/readyz`);
    expect(notReady.status).toBe(503);
    await h.nats.resume();
    let after = { status: 0, body: {} as Record<string, unknown> };
    for (let attempt = 0; attempt < 100 && after.status !== 202; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await postSignals(
        h.url,
        other,
        JSON.stringify([attackEnvelope('outage-1'), attackEnvelope('outage-2')]),
      );
    }
    expect(after.status).toBe(202);
    expect(after.body['accepted']).toBe(2);
    const observerCount = await h.streamMessages().catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return h.streamMessages();
    });
    expect(observerCount).toBe(before + 2);
  });

  it('never reports accepted what was not stored when NATS stops in the middle of a request', async () => {
    const other = await h.createTenant('midway');
    const before = await h.streamMessages();
    const batch = JSON.stringify(
      Array.from({ length: 20 }, (_, i) => attackEnvelope(`midway-${i}`)),
    );
    const [answer] = await Promise.all([postSignals(h.url, other, batch), h.nats.pause()]);
    await h.nats.resume();
    let stored = -1;
    for (let attempt = 0; attempt < 100 && stored < 0; attempt++) {
      stored = await h.streamMessages().then(
        (n) => n - before,
        () => -1,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([202, 503]).toContain(answer.status);
    if (answer.status === 202) {
      expect(answer.body['accepted']).toBe(20);
    }
    expect(stored).toBeGreaterThanOrEqual(answer.status === 202 ? 20 : 0);
  });
});

describe('ingestion with a full stream (real nats-server, PostgreSQL, HTTP)', () => {
  let h: IngestionHarness;

  beforeAll(async () => {
    h = await startIngestionHarness({
      VIGIL_SIGNALS_MAX_BYTES: '16KiB',
      VIGIL_SIGNALS_MAX_MESSAGE_BYTES: '4KiB',
    });
  });

  afterAll(() => h.stop());

  it('answers 429 stream-full with Retry-After once the stream refuses new signals', async () => {
    const key = await h.createTenant('full');
    let last = { status: 0, headers: new Headers(), body: {} as Record<string, unknown> };
    for (let i = 0; i < 40 && last.status !== 429; i++) {
      last = await postSignals(h.url, key, JSON.stringify([attackEnvelope(`fill-${i}`)]));
    }
    expect(last.status).toBe(429);
    expect(last.body['error']).toBe('stream-full');
    expect(last.headers.get('retry-after')).toBe('10');
  });
});

describe('ingestion when the key store goes away (real nats-server, PostgreSQL, HTTP)', () => {
  let h: IngestionHarness;

  beforeAll(async () => {
    h = await startIngestionHarness();
  });

  afterAll(() => h.stop());

  it('keeps serving recently verified keys, answers 503 for others, and reports not ready', async () => {
    const cached = await h.createTenant('cached');
    const uncached = await h.createTenant('uncached');
    expect(
      (await postSignals(h.url, cached, JSON.stringify([attackEnvelope('pg-1')]))).status,
    ).toBe(202);
    await h.db.drop();
    expect(
      (await postSignals(h.url, cached, JSON.stringify([attackEnvelope('pg-2')]))).status,
    ).toBe(202);
    const refused = await postSignals(h.url, uncached, JSON.stringify([attackEnvelope('pg-3')]));
    expect([refused.status, refused.body['error'], refused.headers.get('retry-after')]).toEqual([
      503,
      'unavailable',
      '5',
    ]);
    const ready = await fetch(`${h.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      503,
      { status: 'not-ready', checks: { nats: true, store: false, schemas: true } },
    ]);
  });
});
