import { BatchConsumer, DurableConsumer } from '@vigil/bus';
import { eventually } from '@vigil/testing';
import {
  attackEnvelope,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

/**
 * The SIGNALS byte budget is spent on what consumers still need: a stream filled many times
 * over by signals that every consumer acknowledges never refuses one, while a consumer that
 * really lags fills it and ingestion answers 429 (ingestion service, real nats-server).
 */
describe('the SIGNALS byte budget (ingestion with a 2 MiB stream, real consumers)', () => {
  let harness: IngestionHarness;
  let key: string;
  const stoppable: Array<{ stop(): Promise<void> }> = [];
  let sent = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));

  const batch = (size: number) =>
    JSON.stringify(Array.from({ length: size }, () => attackEnvelope(`sig-${sent++}`)));

  const metric = async (name: string): Promise<string> => {
    const text = await (await fetch(`${harness.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .join('\n');
  };

  beforeAll(async () => {
    harness = await startIngestionHarness({
      VIGIL_SIGNALS_MAX_BYTES: '2MiB',
      VIGIL_SIGNALS_COMPACT_INTERVAL: '200ms',
      VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND: '100000',
    });
    key = await harness.createTenant('acme');
  }, 60_000);

  afterAll(async () => {
    release();
    await Promise.all(stoppable.map((consumer) => consumer.stop()));
    await harness.stop();
  });

  it('accepts six times its budget while every consumer keeps up, an archiver-like batch among them', async () => {
    const seen = { product: 0, archiver: 0 };
    stoppable.push(
      await DurableConsumer.start(
        harness.observer,
        { durable: 'product', filterSubject: 'signals.>' },
        async () => {
          seen.product++;
        },
      ),
      await BatchConsumer.start(
        harness.observer,
        { durable: 'archiver', maxMessages: 500, maxBytes: 256 * 1024, maxAgeMs: 500 },
        async (messages) => {
          seen.archiver += messages.length;
        },
      ),
    );
    const statuses = new Set<number>();
    for (let i = 0; i < 120; i++) {
      statuses.add((await postSignals(harness.url, key, batch(100))).status);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([...statuses]).toEqual([202]);
    await eventually(() => seen.product === sent && seen.archiver === sent, 20_000);
    expect(await metric('vigil_signals_compacted_total')).toMatch(/ [1-9]\d*$/);
    expect(await metric('vigil_signals_stream_max_bytes')).toContain(` ${2 * 1024 * 1024}`);
    await eventually(
      async () => / 0$/.test(await metric('vigil_bus_consumer_lag_messages{consumer="product"}')),
      5_000,
    );
  }, 60_000);

  it('refuses with 429 only once a consumer really lags, and shows its lag', async () => {
    const stuck = await DurableConsumer.start(
      harness.observer,
      { durable: 'stuck', filterSubject: 'signals.>', ackWaitMs: 60_000 },
      () => held, // does not finish before the end of the test: nothing is acknowledged
    );
    stoppable.push(stuck);
    let status = 202;
    for (let i = 0; i < 200 && status === 202; i++) {
      status = (await postSignals(harness.url, key, batch(100))).status;
    }
    expect(status).toBe(429);
    await eventually(
      async () =>
        /[1-9]\d*$/.test(await metric('vigil_bus_consumer_lag_messages{consumer="stuck"}')),
      5_000,
    );
  }, 60_000);
});
