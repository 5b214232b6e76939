import type { NatsConnection } from '@nats-io/nats-core';
import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { connectBus } from './bus-connection';
import { PermanentFailure } from './bus-errors';
import { provisionForTest } from './bus-test-helpers';
import { listDeadLetters, redriveDeadLetters } from './dead-letters';
import { DurableConsumer } from './durable-consumer';
import type { ReceivedMessage } from './received-message';
import { SignalPublisher } from './signal-publisher';
import { BusHeaders } from './subjects';

const encoder = new TextEncoder();

describe('DurableConsumer and dead letters (real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let publisher: SignalPublisher;
  const running: DurableConsumer[] = [];

  async function publish(tenant: string, id: string, body: unknown = { id }): Promise<void> {
    await publisher.publish({
      subject: `signals.${tenant}.attack`,
      msgId: `${tenant}:${id}`,
      payload: encoder.encode(JSON.stringify(body)),
      headers: { [BusHeaders.eventId]: id, [BusHeaders.tenant]: tenant },
    });
  }

  async function consume(
    durable: string,
    tenant: string,
    handler: (m: ReceivedMessage) => Promise<void>,
    maxDeliver = 3,
  ): Promise<DurableConsumer> {
    const consumer = await DurableConsumer.start(
      nc,
      {
        durable,
        filterSubject: `signals.${tenant}.>`,
        maxDeliver,
        retryDelayMs: () => 50,
        ackWaitMs: 2_000,
      },
      handler,
    );
    running.push(consumer);
    return consumer;
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'consumer-test' });
    await provisionForTest(nc);
    publisher = new SignalPublisher(nc);
  });

  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await nc.close();
    await nats.stop();
  });

  it('delivers each message with its event id and tenant, and acks it after the handler', async () => {
    const seen: ReceivedMessage[] = [];
    await consume('ok', 't-ok', async (m) => {
      seen.push(m);
    });
    await publish('t-ok', 'a');
    await publish('t-ok', 'b');
    await eventually(() => seen.length === 2);
    expect(
      seen.map((m) => [m.eventId, m.tenant, m.json<{ id: string }>().id, m.deliveryCount]),
    ).toEqual([
      ['a', 't-ok', 'a', 1],
      ['b', 't-ok', 'b', 1],
    ]);
  });

  it('retries a transient failure with a delay and succeeds on a later delivery', async () => {
    const attempts: number[] = [];
    await consume('flaky', 't-flaky', async (m) => {
      attempts.push(m.deliveryCount);
      if (m.deliveryCount < 2) {
        throw new Error('database busy');
      }
    });
    await publish('t-flaky', 'x');
    await eventually(() => attempts.length === 2);
    expect(attempts).toEqual([1, 2]);
    expect(await listDeadLetters(nc, { consumer: 'flaky' })).toEqual([]);
  });

  it('dead-letters a message after maxDeliver failures, with the reason, and does not deliver it again', async () => {
    let calls = 0;
    await consume('broken', 't-broken', async () => {
      calls++;
      throw new Error('cannot write: relation "x" does not exist');
    });
    await publish('t-broken', 'poison');
    await eventually(async () => (await listDeadLetters(nc, { consumer: 'broken' })).length === 1);
    const [letter] = await listDeadLetters(nc, { consumer: 'broken' });
    expect(letter).toMatchObject({
      consumer: 'broken',
      reason: 'Error: cannot write: relation "x" does not exist',
      deliveries: 3,
      originalStream: 'SIGNALS',
      originalSubject: 'signals.t-broken.attack',
      eventId: 'poison',
      tenant: 't-broken',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toBe(3);
  });

  it('dead-letters a PermanentFailure at once', async () => {
    let calls = 0;
    await consume('strict', 't-strict', async () => {
      calls++;
      throw new PermanentFailure('payload is not JSON');
    });
    await publish('t-strict', 'bad');
    await eventually(async () => (await listDeadLetters(nc, { consumer: 'strict' })).length === 1);
    expect(calls).toBe(1);
    expect((await listDeadLetters(nc, { consumer: 'strict' }))[0]?.deliveries).toBe(1);
  });

  it('redrives a dead letter to its own consumer only, and removes it from the dead letters', async () => {
    let fixed = false;
    const redriven: string[] = [];
    const others: string[] = [];
    await consume('redrive-me', 't-redrive', async (m) => {
      if (!fixed) {
        throw new PermanentFailure('bug');
      }
      redriven.push(m.eventId ?? '');
    });
    await consume('bystander', 't-redrive', async (m) => {
      others.push(m.eventId ?? '');
    });
    await publish('t-redrive', 'r1');
    await eventually(
      async () => (await listDeadLetters(nc, { consumer: 'redrive-me' })).length === 1,
    );
    await eventually(() => others.length === 1);
    fixed = true;
    const seqs = await redriveDeadLetters(nc, { consumer: 'redrive-me' });
    expect(seqs).toHaveLength(1);
    await eventually(() => redriven.length === 1);
    expect(redriven).toEqual(['r1']);
    expect(await listDeadLetters(nc, { consumer: 'redrive-me' })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(others).toEqual(['r1']);
  });

  it('dead-letters a message whose handler never answers within the ack wait', async () => {
    const consumer = await DurableConsumer.start(
      nc,
      {
        durable: 'hung',
        filterSubject: 'signals.t-hung.>',
        maxDeliver: 2,
        ackWaitMs: 300,
        retryDelayMs: () => 10,
      },
      () => new Promise<void>((resolve) => setTimeout(resolve, 2_000)),
    );
    running.push(consumer);
    await publish('t-hung', 'slow');
    await eventually(
      async () => (await listDeadLetters(nc, { consumer: 'hung' })).length === 1,
      15_000,
    );
    expect((await listDeadLetters(nc, { consumer: 'hung' }))[0]?.reason).toMatch(
      /no answer after 2 deliveries/,
    );
  });

  it('stops gracefully: the message in hand finishes before stop() resolves', async () => {
    let finished = false;
    let started = false;
    const consumer = await DurableConsumer.start(
      nc,
      { durable: 'drain', filterSubject: 'signals.t-drain.>' },
      async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      },
    );
    await publish('t-drain', 'd1');
    await eventually(() => started);
    await consumer.stop();
    expect(finished).toBe(true);
  });
});
