import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from '@nats-io/nats-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** How to reach NATS. */
export interface BusConnectionOptions {
  /** One or more server URLs, e.g. `nats://127.0.0.1:4222`, or several in one comma-separated string (as `NATS_URL` may hold). */
  readonly servers: string | readonly string[];
  /** Connection name shown by the server's monitoring, e.g. `vigil-ingestion`. */
  readonly name: string;
  /** Time to wait for the first connection (ms); default 5 000. */
  readonly connectTimeoutMs?: number;
  /** How the client proves who it is and checks the server; none for an open test server. */
  readonly credentials?: BusCredentials;
}

/**
 * How a client proves who it is to nats-server: a user and password, a token, an nkey seed
 * file or a credentials (JWT + seed) file — the files are read at each connect, so a rotated
 * file is picked up on reconnect — and optionally TLS (a CA to verify the server, a client
 * certificate and key for mutual TLS).
 */
export type BusCredentials = BusAuth & { readonly tls?: BusTls };

/** One way of authenticating, or none (TLS alone). */
export type BusAuth =
  | { readonly user: string; readonly pass: string }
  | { readonly token: string }
  | { readonly nkeySeedFile: string }
  | { readonly credsFile: string }
  | Record<never, never>;

/** TLS settings: files in PEM. */
export interface BusTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/**
 * Connects to NATS and keeps reconnecting forever after a loss, so a restarted nats-server
 * is picked up without restarting the service. The first connection must succeed.
 */
export async function connectBus(options: BusConnectionOptions): Promise<NatsConnection> {
  const servers = serverList(options.servers);
  return connect({
    servers,
    name: options.name,
    ...authOptions(options.credentials),
    timeout: options.connectTimeoutMs ?? 5_000,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 10_000,
    // The client otherwise builds an Error (with a stack trace) per request to explain a
    // possible timeout later; on the publish path that costs more than the publish itself.
    noAsyncTraces: true,
  });
}

function authOptions(credentials: BusCredentials | undefined): Partial<ConnectionOptions> {
  if (!credentials) {
    return {};
  }
  const tls = credentials.tls ? { tls: { ...credentials.tls } } : {};
  if ('nkeySeedFile' in credentials) {
    const file = credentials.nkeySeedFile;
    // A seed file usually ends with a newline, which the seed decoder refuses.
    const seed = () => Buffer.from(readFileSync(file, 'utf8').trim());
    return { ...tls, authenticator: nkeyAuthenticator(seed) };
  }
  if ('credsFile' in credentials) {
    const file = credentials.credsFile;
    return { ...tls, authenticator: credsAuthenticator(() => readFileSync(file)) };
  }
  if ('token' in credentials) {
    return { ...tls, token: credentials.token };
  }
  if ('user' in credentials) {
    return { ...tls, user: credentials.user, pass: credentials.pass };
  }
  return tls;
}

/** Whether a connection is currently up, kept current from the client's status events. */
export interface ConnectionState {
  connected(): boolean;
}

/**
 * Follows a connection's disconnect/reconnect events, so publishers can fail fast while the
 * server is away instead of waiting for an ack timeout on every message.
 */
export function trackConnection(nc: NatsConnection, onDisconnect?: () => void): ConnectionState {
  let up = !nc.isClosed();
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'close') {
        up = false;
        onDisconnect?.();
      } else if (status.type === 'reconnect') {
        up = true;
      }
    }
  })();
  void nc.closed().then(() => {
    up = false;
  });
  return { connected: () => up && !nc.isClosed() };
}

/** Round-trips a PING to the server within `timeoutMs`; rejects when the bus is unreachable. */
export async function pingBus(nc: NatsConnection, timeoutMs = 2_000): Promise<number> {
  if (nc.isClosed()) {
    throw new Error('the NATS connection is closed');
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`NATS did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([nc.rtt(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The servers of a connection: a list, or one string that may hold several comma-separated
 * URLs (`NATS_URL=nats://a:4222,nats://b:4222`), so a service starts while one node is down.
 */
export function serverList(servers: string | readonly string[]): string[] {
  const all = typeof servers === 'string' ? [servers] : servers;
  return all
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
