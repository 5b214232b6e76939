import { resolve } from 'node:path';
import { connectBus, type BusCredentials, type NatsConnection } from '@vigil/bus';
import { EnvParser, readLocalNatsAccess } from '@vigil/config';

/** Where a bus command connects, and as whom. */
export interface BusTarget {
  readonly url: string;
  readonly credentials: BusCredentials | undefined;
}

const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/**
 * The bus of a command: `--nats-url`, else `NATS_URL`, with `NATS_USER`/`NATS_PASSWORD` or
 * `NATS_TOKEN`; without any of them, the one-command platform's bus recorded in the data folder
 * (`VIGIL_DATA_DIR`, default `./.vigil`) with its generated credentials; else the local default.
 */
export function busTargetOf(flag: string | undefined, env: NodeJS.ProcessEnv): BusTarget {
  const read = new EnvParser(env);
  const credentials = read.natsCredentials();
  read.assertValid('vigil');
  const url = flag ?? env['NATS_URL'];
  if (url !== undefined || credentials !== undefined) {
    return { url: url ?? DEFAULT_NATS_URL, credentials };
  }
  return (
    readLocalNatsAccess(resolve(env['VIGIL_DATA_DIR'] ?? '.vigil')) ?? {
      url: DEFAULT_NATS_URL,
      credentials: undefined,
    }
  );
}

/** Connects to NATS for one command and closes the connection after `use`, whatever happens. */
export async function withBus<T>(
  target: BusTarget,
  use: (nc: NatsConnection) => Promise<T>,
): Promise<T> {
  let nc: NatsConnection;
  try {
    nc = await connectBus({
      servers: target.url,
      name: 'vigil-cli',
      connectTimeoutMs: 3_000,
      credentials: target.credentials,
    });
  } catch (error) {
    throw new Error(
      `cannot connect to NATS at ${target.url} (set NATS_URL or --nats-url, and NATS_USER/NATS_PASSWORD for a bus that requires them): ${(error as Error).message}`,
    );
  }
  try {
    return await use(nc);
  } finally {
    await nc.close();
  }
}
