import {
  connectBus,
  DurableConsumer,
  ensureSignalStreams,
  PermanentFailure,
  SignalPublisher,
  type NatsConnection,
} from '@vigil/bus';
import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { runVigil } from '../support/run-vigil';

/** `vigil dlq list | redrive` against a real nats-server, driven as a spawned process. */
describe('vigil dlq (spawned CLI, real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let consumer: DurableConsumer;
  let healed = false;
  const processed: string[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'dlq-e2e' });
    await ensureSignalStreams(nc, {
      duplicateWindowMs: 60_000,
      maxAgeMs: 3_600_000,
      maxBytes: 64 * 1024 * 1024,
      maxMessageBytes: 1024 * 1024,
    });
    consumer = await DurableConsumer.start(
      nc,
      { durable: 'products', filterSubject: 'signals.acme.>' },
      async (message) => {
        if (!healed) {
          throw new PermanentFailure('schema of the product store is outdated');
        }
        processed.push(message.eventId ?? '');
      },
    );
    await new SignalPublisher(nc).publish({
      subject: 'signals.acme.attack',
      msgId: 'dlq-e2e-1',
      payload: new TextEncoder().encode('{}'),
      headers: { 'Vigil-Event-Id': 'evt-dlq-1', 'Vigil-Tenant': 'acme' },
    });
  });

  afterAll(async () => {
    await consumer.stop();
    await nc.close();
    await nats.stop();
  });

  it('lists a dead letter with its reason, then redrives it to its consumer', async () => {
    const env = { NATS_URL: nats.url };
    let listed: Array<{ seq: number; consumer: string; reason: string; eventId: string }> = [];
    await eventually(async () => {
      const run = await runVigil(['dlq', 'list', '--json'], env);
      listed = JSON.parse(run.stdout) as typeof listed;
      return run.code === 0 && listed.length === 1;
    });
    expect(listed[0]).toMatchObject({
      consumer: 'products',
      eventId: 'evt-dlq-1',
      reason: 'PermanentFailure: schema of the product store is outdated',
    });

    healed = true;
    const redrive = await runVigil(['dlq', 'redrive', '--consumer', 'products', '--json'], env);
    expect([redrive.code, JSON.parse(redrive.stdout)]).toEqual([0, { redriven: [listed[0]?.seq] }]);
    await eventually(() => processed.length === 1);
    expect(processed).toEqual(['evt-dlq-1']);
    const after = await runVigil(['dlq', 'list'], env);
    expect(after.stdout.trim()).toBe('no dead letters');
  });

  it('exits 1 with a message naming NATS_URL when NATS cannot be reached', async () => {
    const run = await runVigil(['dlq', 'list'], { NATS_URL: 'nats://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /cannot connect to NATS at nats:\/\/127\.0\.0\.1:1 \(set NATS_URL or --nats-url, and NATS_USER\/NATS_PASSWORD for a bus that requires them\): connection refused/,
    );
  });
});
