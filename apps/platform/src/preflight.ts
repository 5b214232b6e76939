import { accessSync, constants, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { connectBus } from '@vigil/bus';
import { Client } from 'pg';
import { findNatsServer } from './local-nats';
import type { NatsCredentials } from '@vigil/config';
import type { DatastoreChoice, PlatformConfig } from './platform.config';
import { StartupError } from './startup-error';

const CHECK_TIMEOUT_MS = 3_000;

/**
 * Checks, within seconds, what would otherwise fail late or obscurely: the data folder is
 * writable, the port is free, a given NATS server (or else a nats-server binary) and given
 * databases answer. Each failure is
 * one line naming the setting to fix.
 */
export async function preflight(config: PlatformConfig): Promise<void> {
  checkDataDir(config.dataDir);
  await checkPortFree(config.host, config.port);
  if (config.natsUrl) {
    await checkNats(config.natsUrl, config.natsCredentials);
  } else {
    findNatsServer(config.natsServer);
  }
  for (const store of Object.values(config.datastores)) {
    if (!store.embedded) {
      await checkDatabase(store);
    }
  }
}

function checkDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new StartupError(
      `VIGIL_DATA_DIR: cannot write to ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)}); choose a writable folder`,
    );
  }
}

function checkPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          error.code === 'EADDRINUSE'
            ? `VIGIL_PORT: port ${port} on ${host} is already in use; stop what uses it or set VIGIL_PORT`
            : `VIGIL_PORT/VIGIL_HOST: cannot listen on ${host}:${port} (${error.code ?? error.message})`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

async function checkNats(url: string, credentials: NatsCredentials | undefined): Promise<void> {
  try {
    const nc = await connectBus({
      servers: url,
      name: 'vigil-preflight',
      connectTimeoutMs: CHECK_TIMEOUT_MS,
      credentials,
    });
    await nc.close();
  } catch (error) {
    throw new StartupError(
      `NATS_URL: ${url} does not answer (${(error as Error).message}); start nats-server with JetStream there (with NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_NKEY_SEED_FILE or NATS_CREDS_FILE if it requires them), or unset NATS_URL to let Vigil start one`,
    );
  }
}

async function checkDatabase(store: DatastoreChoice): Promise<void> {
  const client = new Client({
    connectionString: store.url,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new StartupError(
      `${store.variable}: cannot reach ${redact(store.url)} (${(error as Error).message || (error as NodeJS.ErrnoException).code}); fix the URL or unset it to use the embedded store`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL without its password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
