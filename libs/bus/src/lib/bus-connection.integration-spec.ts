import { startNatsServer, type TestNatsServer } from '@vigil/testing';
import { connectBus } from './bus-connection';

describe('connectBus (real nats-server)', () => {
  let nats: TestNatsServer;

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(async () => {
    await nats.stop();
  });

  it('starts on the next server of a comma-separated list when the first is down', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const nc = await connectBus({
        servers: `nats://127.0.0.1:1,${nats.url}`,
        name: 'server-list',
        connectTimeoutMs: 2_000,
      });
      expect(nc.getServer()).toBe(new URL(nats.url).host);
      await nc.close();
    }
  });
});
