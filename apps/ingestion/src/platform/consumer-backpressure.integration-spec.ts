import { jetstreamManager } from '@nats-io/jetstream';
import { DurableConsumer } from '@vigil/bus';
import { eventually } from '@vigil/testing';
import {
  attackEnvelope,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

/**
 * A product that cannot keep up turns into an explicit 503 at the edge instead of latency that
 * grows without bound (ingestion service, real nats-server, real consumers).
 */
describe('backpressure from consumers that fall behind (limit 50 waiting signals)', () => {
  let harness: IngestionHarness;
  let key: string;
  let sent = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let slow: DurableConsumer | undefined;

  const batch = (size: number) =>
    JSON.stringify(Array.from({ length: size }, () => attackEnvelope(`sig-${sent++}`)));

  beforeAll(async () => {
    harness = await startIngestionHarness({
      VIGIL_SIGNALS_COMPACT_INTERVAL: '200ms',
      VIGIL_INGEST_MAX_CONSUMER_LAG: '50',
    });
    key = await harness.createTenant('acme');
    // A durable nobody runs (a product that is down): the stream holds its signals, no 503.
    await (
      await jetstreamManager(harness.observer)
    ).consumers.add('SIGNALS', { durable_name: 'stopped', ack_policy: 'explicit' });
  }, 60_000);

  afterAll(async () => {
    release();
    await slow?.stop();
    await harness.stop();
  });

  it('accepts while the only lagging consumer is one that is not running', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await postSignals(harness.url, key, batch(100))).status).toBe(202);
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await postSignals(harness.url, key, batch(10))).status).toBe(202);
  });

  it('answers 503 consumers-behind with Retry-After while a working consumer is over the limit, storing nothing of the batch', async () => {
    slow = await DurableConsumer.start(
      harness.observer,
      { durable: 'slow-product', filterSubject: 'signals.>' },
      () => held,
    );
    let answer: Awaited<ReturnType<typeof postSignals>> | undefined;
    await eventually(async () => {
      answer = await postSignals(harness.url, key, batch(1));
      return answer.status === 503;
    });
    expect(answer?.body).toMatchObject({ error: 'consumers-behind' });
    expect(String(answer?.body['message'])).toContain('"slow-product"');
    expect(Number(answer?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const stored = await harness.streamMessages();
    expect((await postSignals(harness.url, key, batch(5))).status).toBe(503);
    expect(await harness.streamMessages()).toBe(stored);
  });

  it('accepts again once the consumer has caught up', async () => {
    release();
    await eventually(
      async () => (await postSignals(harness.url, key, batch(1))).status === 202,
      20_000,
    );
  });
});
