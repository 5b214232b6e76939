import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsCluster, type TestNatsCluster } from '@vigil/testing';
import { connectBus } from './bus-connection';
import { ensureSignalStreams } from './stream-provisioner';
import { DEADLETTER_STREAM, REPLAY_STREAM, SIGNALS_STREAM } from './subjects';

const LIMITS = {
  duplicateWindowMs: 60_000,
  maxAgeMs: 0,
  maxBytes: 64 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
};

/** Stream replicas on a 3-node JetStream cluster (real nats-servers on loopback). */
describe('stream replicas (3-node nats-server cluster)', () => {
  let cluster: TestNatsCluster;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it("creates every platform stream with VIGIL_STREAM_REPLICAS or its per-stream override, and never lowers an operator's replicas", async () => {
    const nc = await connectBus({ servers: cluster.url, name: 'replicas' });
    const jsm = await jetstreamManager(nc);
    const replicas = async (name: string) => (await jsm.streams.info(name)).config.num_replicas;
    try {
      // VIGIL_STREAM_REPLICAS=3 with VIGIL_STREAM_REPLICAS_REPLAY=1.
      await ensureSignalStreams(nc, {
        ...LIMITS,
        replicas: { default: 3, byStream: { REPLAY: 1 } },
      });
      expect(await replicas(SIGNALS_STREAM)).toBe(3);
      expect(await replicas(DEADLETTER_STREAM)).toBe(3);
      expect(await replicas(REPLAY_STREAM)).toBe(1);
      // A service started with the default (1) keeps what is there, and says so.
      const warnings: string[] = [];
      await ensureSignalStreams(nc, LIMITS, (warning) => warnings.push(warning));
      expect(await replicas(SIGNALS_STREAM)).toBe(3);
      expect(warnings).toContain(
        'stream SIGNALS has 3 replicas, more than the 1 configured (VIGIL_STREAM_REPLICAS_SIGNALS or VIGIL_STREAM_REPLICAS): kept at 3',
      );
      expect(warnings).toHaveLength(2);
    } finally {
      await nc.close();
    }
  }, 60_000);
});
