import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { BatchConsumer, type BatchConsumerOptions } from './batch-consumer';
import { connectBus } from './bus-connection';
import { provisionForTest } from './bus-test-helpers';
import { listDeadLetters } from './dead-letters';
import { DurableConsumer } from './durable-consumer';
import type { ReceivedMessage } from './received-message';
import { SignalPublisher } from './signal-publisher';
import { BusHeaders, replaySubject, SIGNALS_STREAM } from './subjects';

const encoder = new TextEncoder();

describe('BatchConsumer and replay subjects (real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let publisher: SignalPublisher;
  const stoppable: Array<{ stop(): Promise<void> }> = [];

  async function publish(subject: string, id: string): Promise<void> {
    await publisher.publish({
      subject,
      msgId: `${subject}:${id}`,
      payload: encoder.encode(JSON.stringify({ id })),
      headers: { [BusHeaders.eventId]: id },
    });
  }

  async function batches(
    tenant: string,
    options: Partial<BatchConsumerOptions>,
    handler: (batch: readonly ReceivedMessage[]) => Promise<void | { rejected: [] }>,
  ): Promise<BatchConsumer> {
    const consumer = await BatchConsumer.start(
      nc,
      {
        durable: `batch-${tenant}`,
        filterSubject: `signals.${tenant}.>`,
        maxMessages: 1_000,
        maxBytes: 1024 * 1024,
        maxAgeMs: 60_000,
        retryDelayMs: () => 100,
        ...options,
      },
      handler,
    );
    stoppable.push(consumer);
    return consumer;
  }

  async function pending(durable: string): Promise<number> {
    const info = await (await jetstreamManager(nc)).consumers.info(SIGNALS_STREAM, durable);
    return info.num_pending + info.num_ack_pending;
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'batch-test' });
    await provisionForTest(nc);
    publisher = new SignalPublisher(nc);
  });

  afterAll(async () => {
    await Promise.all(stoppable.map((c) => c.stop()));
    await nc.close();
    await nats.stop();
  });

  it('hands over a batch when it reaches its message count, then acks it', async () => {
    const sizes: number[] = [];
    await batches('count', { maxMessages: 5 }, async (batch) => {
      sizes.push(batch.length);
    });
    for (let i = 0; i < 10; i++) {
      await publish('signals.count.attack', `c${i}`);
    }
    await eventually(() => sizes.length === 2);
    expect(sizes).toEqual([5, 5]);
    await eventually(async () => (await pending('batch-count')) === 0);
  });

  it('hands over a partial batch when its first message reaches the age limit', async () => {
    const seen: string[][] = [];
    await batches('age', { maxAgeMs: 300 }, async (batch) => {
      seen.push(batch.map((m) => m.eventId ?? ''));
    });
    await publish('signals.age.attack', 'a1');
    await publish('signals.age.attack', 'a2');
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([['a1', 'a2']]);
  });

  it('keeps a failed batch in the stream and delivers it again, unacknowledged meanwhile', async () => {
    const attempts: Array<{ ids: string[]; delivery: number }> = [];
    await batches('flaky', { maxAgeMs: 200 }, async (batch) => {
      attempts.push({
        ids: batch.map((m) => m.eventId ?? ''),
        delivery: batch[0]?.deliveryCount ?? 0,
      });
      if (attempts.length < 3) {
        throw new Error('storage unreachable');
      }
    });
    await publish('signals.flaky.attack', 'f1');
    await eventually(() => attempts.length >= 3);
    expect(attempts.map((a) => a.ids)).toEqual([['f1'], ['f1'], ['f1']]);
    expect(attempts.map((a) => a.delivery)).toEqual([1, 2, 3]);
    await eventually(async () => (await pending('batch-flaky')) === 0);
    expect(await listDeadLetters(nc, { consumer: 'batch-flaky' })).toEqual([]);
  });

  it('hands over each sequence once when it is delivered again while its batch is being built', async () => {
    const seen: number[][] = [];
    // The ack wait runs out three times before the batch closes, as after a broker restart.
    await batches('rebuilt', { maxAgeMs: 3_500, ackWaitMs: 1_000 }, async (batch) => {
      seen.push(batch.map((m) => m.seq));
    });
    await publish('signals.rebuilt.attack', 'r1');
    await publish('signals.rebuilt.attack', 'r2');
    await eventually(() => seen.length === 1, 10_000);
    expect(seen[0]).toHaveLength(2);
    expect(new Set(seen[0]).size).toBe(2);
    await eventually(async () => (await pending('batch-rebuilt')) === 0);
    expect(seen).toHaveLength(1);
  });

  it('drops a delivery of a sequence whose batch the handler still holds', async () => {
    const seen: number[][] = [];
    await batches('held', { maxAgeMs: 100, ackWaitMs: 1_000 }, async (batch) => {
      seen.push(batch.map((m) => m.seq));
      if (seen.length === 1) {
        await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the ack wait
      }
    });
    await publish('signals.held.attack', 'h1');
    await eventually(async () => seen.length === 1 && (await pending('batch-held')) === 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(seen).toHaveLength(1);
  });

  it('dead-letters the messages a handler rejects and acks the rest', async () => {
    const handled: string[] = [];
    await BatchConsumer.start(
      nc,
      {
        durable: 'batch-reject',
        filterSubject: 'signals.reject.>',
        maxMessages: 2,
        maxBytes: 1024 * 1024,
        maxAgeMs: 60_000,
      },
      async (batch) => {
        handled.push(...batch.map((m) => m.eventId ?? ''));
        return {
          rejected: batch
            .filter((m) => m.eventId === 'bad')
            .map((message) => ({ message, reason: 'not a record' })),
        };
      },
    ).then((c) => stoppable.push(c));
    await publish('signals.reject.attack', 'good');
    await publish('signals.reject.attack', 'bad');
    await eventually(
      async () => (await listDeadLetters(nc, { consumer: 'batch-reject' })).length === 1,
    );
    const [letter] = await listDeadLetters(nc, { consumer: 'batch-reject' });
    expect(letter).toMatchObject({ eventId: 'bad', reason: 'not a record' });
    expect(handled).toEqual(['good', 'bad']);
  });

  it('hands over what is buffered when stopped', async () => {
    const seen: string[] = [];
    const consumer = await batches('drain', {}, async (batch) => {
      seen.push(...batch.map((m) => m.eventId ?? ''));
    });
    await publish('signals.drain.attack', 'd1');
    await eventually(async () => (await pending('batch-drain')) === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([]);
    await consumer.stop();
    expect(seen).toEqual(['d1']);
    await eventually(async () => (await pending('batch-drain')) === 0);
  });

  it('lets a product consumer read its replay subject with the same handler, and only its own', async () => {
    const seen: string[] = [];
    const consumer = await DurableConsumer.start(
      nc,
      { durable: 'insights', filterSubject: 'signals.replayed.>', readReplays: true },
      async (m) => {
        seen.push(`${m.subject}:${m.eventId}`);
      },
    );
    stoppable.push(consumer);
    await publish('signals.replayed.attack', 'live');
    await publish(replaySubject('insights', 'replayed', 'attack'), 'old');
    await publish(replaySubject('playbooks', 'replayed', 'attack'), 'not-mine');
    await eventually(() => seen.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.sort()).toEqual([
      'replay.insights.replayed.attack:old',
      'signals.replayed.attack:live',
    ]);
  });
});
