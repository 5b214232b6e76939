import { connectBus, type NatsConnection } from '@vigil/bus';

/** The NATS server of a bus command: `--nats-url`, else `NATS_URL`, else the local default. */
export function natsUrlOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
}

/** Connects to NATS for one command and closes the connection after `use`, whatever happens. */
export async function withBus<T>(url: string, use: (nc: NatsConnection) => Promise<T>): Promise<T> {
  let nc: NatsConnection;
  try {
    nc = await connectBus({ servers: url, name: 'vigil-cli', connectTimeoutMs: 3_000 });
  } catch (error) {
    throw new Error(
      `cannot connect to NATS at ${url} (set NATS_URL or --nats-url): ${(error as Error).message}`,
    );
  }
  try {
    return await use(nc);
  } finally {
    await nc.close();
  }
}
