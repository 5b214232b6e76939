import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from './free-port';
import { startNatsServer, type TestNatsServer } from './nats-server';

/** A JetStream cluster of private nats-servers on loopback. */
export interface TestNatsCluster {
  /** Every node's client URL, comma-separated, as `NATS_URL` takes it. */
  readonly url: string;
  readonly nodes: readonly TestNatsServer[];
  stop(): Promise<void>;
}

/**
 * Starts `size` nats-servers routed into one JetStream cluster (loopback, free ports, temporary
 * stores) and resolves once the cluster has elected its metadata leader, so replicated streams
 * can be created at once. Always pair with `stop()` in `afterAll`.
 */
export async function startNatsCluster(size = 3): Promise<TestNatsCluster> {
  const clientPorts = await distinctFreePorts(size);
  const routePorts = await distinctFreePorts(size, clientPorts);
  const routes = routePorts.map((port) => `nats://127.0.0.1:${port}`).join(',');
  const nodes = await Promise.all(
    clientPorts.map((port, index) =>
      startNatsServer({
        port,
        extraArgs: [
          '--server_name',
          `n${index + 1}`,
          '--cluster_name',
          'vigil-test',
          '--cluster',
          `nats://127.0.0.1:${routePorts[index]}`,
          '--routes',
          routes,
        ],
      }),
    ),
  );
  const url = nodes.map((node) => node.url).join(',');
  const cluster = {
    url,
    nodes,
    stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
  };
  try {
    await untilJetStreamAnswers(nodes[0]?.url ?? '');
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

async function distinctFreePorts(count: number, taken: readonly number[] = []): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port) && !taken.includes(port)) {
      ports.push(port);
    }
  }
  return ports;
}

async function untilJetStreamAnswers(url: string, timeoutMs = 20_000): Promise<void> {
  const nc = await connect({ servers: url });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await (await jetstreamManager(nc)).getAccountInfo();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `the JetStream cluster elected no leader within ${timeoutMs} ms: ${String(error)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await nc.close();
  }
}
