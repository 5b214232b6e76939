import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectBus, ensureSignalStreams, type NatsConnection } from '@vigil/bus';
import { startNatsServer, type TestNatsServer } from '@vigil/testing';
import { DETECTION_QUEUE, queueSubject } from '@vigil/topology';
import { ensureDetectionQueue } from './detection-queue';

/** The detection queue's provisioning (real nats-server). */
describe('ensureDetectionQueue (real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'queue-spec' });
    await ensureSignalStreams(nc, {
      duplicateWindowMs: 60_000,
      maxAgeMs: 0,
      maxBytes: 64 * 1024 * 1024,
      maxMessageBytes: 1024 * 1024,
    });
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('creates a work queue recording its partition count, and refuses a new count while signals wait', async () => {
    const jsm = await jetstreamManager(nc);
    const options = { partitions: 8, maxBytes: 16 * 1024 * 1024, replicas: 1 };
    await ensureDetectionQueue(jsm, options, () => undefined);
    const info = await jsm.streams.info(DETECTION_QUEUE);
    expect(info.config.retention).toBe('workqueue');
    expect(info.config.discard).toBe('new');
    expect(info.config.description).toContain('(8 partitions)');

    await jetstream(nc).publish(queueSubject(3, 'acme.auth'), '{}');
    await expect(
      ensureDetectionQueue(jsm, { ...options, partitions: 4 }, () => undefined),
    ).rejects.toThrow(
      'the PLAYBOOKS stream holds 1 signals queued for 8 partitions; VIGIL_PLAYBOOKS_PARTITIONS=4 would strand them: start with 8 until the queue is empty, then change it',
    );
    await ensureDetectionQueue(jsm, options, () => undefined); // the same count is fine

    await jsm.streams.purge(DETECTION_QUEUE);
    await ensureDetectionQueue(jsm, { ...options, partitions: 4 }, () => undefined);
    expect((await jsm.streams.info(DETECTION_QUEUE)).config.description).toContain(
      '(4 partitions)',
    );
  });
});
