import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { connectBus } from './bus-connection';
import { BusUnavailableError, StreamFullError } from './bus-errors';
import { provisionForTest, TEST_STREAM_OPTIONS } from './bus-test-helpers';
import { SignalPublisher } from './signal-publisher';
import { ensureSignalStreams } from './stream-provisioner';
import { SIGNALS_STREAM } from './subjects';

const encoder = new TextEncoder();

describe('SignalPublisher and stream provisioning (real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'bus-test' });
  });

  afterAll(async () => {
    await nc.close();
    await nats.stop();
  });

  it('provisions idempotently and updates limits without losing data', async () => {
    const jsm = await jetstreamManager(nc);
    expect(await ensureSignalStreams(jsm, TEST_STREAM_OPTIONS)).toEqual({
      SIGNALS: 'created',
      DEADLETTER: 'created',
      REPLAY: 'created',
    });
    await new SignalPublisher(nc).publish({
      subject: 'signals.acme.attack',
      msgId: 'keep-me',
      payload: encoder.encode('{}'),
    });
    expect(await ensureSignalStreams(jsm, TEST_STREAM_OPTIONS)).toEqual({
      SIGNALS: 'unchanged',
      DEADLETTER: 'unchanged',
      REPLAY: 'unchanged',
    });
    const outcome = await ensureSignalStreams(jsm, { ...TEST_STREAM_OPTIONS, maxAgeMs: 7_200_000 });
    expect(outcome['SIGNALS']).toBe('updated');
    const info = await jsm.streams.info(SIGNALS_STREAM);
    expect(info.state.messages).toBe(1);
    expect(info.config.discard).toBe('new');
    expect(info.config.storage).toBe('file');
  });

  it('stores a message once per id and reports the second publish as a duplicate', async () => {
    await provisionForTest(nc);
    const publisher = new SignalPublisher(nc);
    const message = {
      subject: 'signals.acme.auth',
      msgId: 'dedupe-1',
      payload: encoder.encode('{"a":1}'),
    };
    const first = await publisher.publish(message);
    const second = await publisher.publish(message);
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ seq: first.seq, duplicate: true });
    const stored = await (
      await jetstreamManager(nc)
    ).streams.getMessage(SIGNALS_STREAM, { seq: first.seq });
    expect(stored?.header?.get('Nats-Msg-Id')).toBe('dedupe-1');
  });

  it('sets the headers it is given', async () => {
    await provisionForTest(nc);
    const receipt = await new SignalPublisher(nc).publish({
      subject: 'signals.acme.metric',
      msgId: 'with-headers',
      payload: encoder.encode('{}'),
      headers: { 'Vigil-Tenant': 'acme', 'Vigil-Event-Id': 'e-1' },
    });
    const stored = await (
      await jetstreamManager(nc)
    ).streams.getMessage(SIGNALS_STREAM, { seq: receipt.seq });
    expect(stored?.header?.get('Vigil-Tenant')).toBe('acme');
    expect(stored?.header?.get('Vigil-Event-Id')).toBe('e-1');
    expect(stored?.header?.get('Nats-Msg-Id')).toBe('with-headers');
  });

  it('refuses a header value with a line break (header injection) and publishes nothing', async () => {
    await provisionForTest(nc);
    const jsm = await jetstreamManager(nc);
    const before = (await jsm.streams.info(SIGNALS_STREAM)).state.messages;
    const error = await new SignalPublisher(nc)
      .publish({
        subject: 'signals.acme.metric',
        msgId: 'injected',
        payload: encoder.encode('{}'),
        headers: { 'Vigil-Event-Id': 'e-1\r\nVigil-Tenant: other' },
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cannot contain a line break/);
    expect((await jsm.streams.info(SIGNALS_STREAM)).state.messages).toBe(before);
  });

  it('times out a publish nobody acks as BusUnavailableError and reports its latency', async () => {
    // A plain subscriber that never answers: the server has a responder, so only the timeout ends it.
    const silent = nc.subscribe('silent.acme.attack', { callback: () => undefined });
    const settled: number[] = [];
    const publisher = new SignalPublisher(nc, {
      ackTimeoutMs: 200,
      onSettled: (seconds) => settled.push(seconds),
    });
    const error = await publisher
      .publish({ subject: 'silent.acme.attack', msgId: 'unacked', payload: encoder.encode('{}') })
      .catch((e: unknown) => e);
    silent.unsubscribe();
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect((error as Error).message).toMatch(/no ack within 200 ms/);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toBeGreaterThanOrEqual(0.2);
  });

  it('reports a subject no stream captures as BusUnavailableError (no responders)', async () => {
    await provisionForTest(nc);
    const error = await new SignalPublisher(nc)
      .publish({ subject: 'nowhere.acme.attack', msgId: 'lost', payload: encoder.encode('{}') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect((error as Error).message).toMatch(/no responders/);
  });

  it('keeps many publishes in flight and acks each with its own sequence', async () => {
    await provisionForTest(nc);
    const publisher = new SignalPublisher(nc);
    const receipts = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        publisher.publish({
          subject: 'signals.acme.metric',
          msgId: `bulk-${i}`,
          payload: encoder.encode(`{"i":${i}}`),
        }),
      ),
    );
    expect(new Set(receipts.map((r) => r.seq)).size).toBe(500);
    expect(receipts.every((r) => !r.duplicate)).toBe(true);
  });

  it('reports a full stream as StreamFullError and stores nothing more', async () => {
    const server = await startNatsServer();
    const conn = await connectBus({ servers: server.url, name: 'bus-full-test' });
    try {
      await provisionForTest(conn, { maxBytes: 4096 });
      const publisher = new SignalPublisher(conn);
      const payload = encoder.encode('x'.repeat(1000));
      let error: unknown;
      for (let i = 0; i < 20 && !error; i++) {
        error = await publisher
          .publish({ subject: 'signals.acme.attack', msgId: `full-${i}`, payload })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
      }
      expect(error).toBeInstanceOf(StreamFullError);
    } finally {
      await conn.close();
      await server.stop();
    }
  });

  it('fails fast with BusUnavailableError while nats-server is down, and recovers when it is back', async () => {
    const server = await startNatsServer();
    const conn = await connectBus({ servers: server.url, name: 'bus-outage-test' });
    try {
      await provisionForTest(conn);
      const publisher = new SignalPublisher(conn, { ackTimeoutMs: 2_000 });
      await publisher.publish({
        subject: 'signals.acme.attack',
        msgId: 'before',
        payload: encoder.encode('{}'),
      });
      await server.pause();
      const started = Date.now();
      const error = await eventually(async () => {
        const outcome = await publisher
          .publish({
            subject: 'signals.acme.attack',
            msgId: 'during',
            payload: encoder.encode('{}'),
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        return outcome instanceof BusUnavailableError;
      }).then(() => 'unavailable');
      expect(error).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(5_000);
      await server.resume();
      await eventually(async () =>
        publisher
          .publish({
            subject: 'signals.acme.attack',
            msgId: 'after',
            payload: encoder.encode('{}'),
          })
          .then(
            () => true,
            () => false,
          ),
      );
      const info = await (await jetstreamManager(conn)).streams.info(SIGNALS_STREAM);
      expect(info.state.messages).toBeGreaterThanOrEqual(2);
    } finally {
      await conn.close();
      await server.stop();
    }
  });
});
