import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { connectBus, KeyChanges, pingBus, SignalPublisher, type NatsConnection } from '@vigil/bus';
import type { ProductBasics } from '@vigil/config';
import {
  createPostgresPool,
  describeDatabase,
  runMigrations,
  type Migration,
  type SqlPool,
} from '@vigil/store';
import {
  BusKeyDirectory,
  CredentialVerifier,
  serveKeyDirectory,
  TenantRepository,
  type KeyDirectory,
} from '@vigil/tenants';
import { EventOutbox } from '../event-outbox';
import type { Announce } from '../run-service';
import { ProductLog } from './product-log';
import { ReadinessChecks } from './readiness-checks';

/** A product's own PostgreSQL database. */
export interface ProductDatabase {
  readonly url: string;
  /** Name under which its migrations are recorded, e.g. `scans`. */
  readonly component: string;
  readonly migrations: readonly Migration[];
  /** Relay the `event_outbox` table (its migration is among `migrations`). */
  readonly outbox?: boolean;
  /** This database is the platform store of tenants and keys (ingestion's): serve the key directory from it. */
  readonly holdsPlatformKeys?: boolean;
  /** The variable that names it, quoted when it cannot be prepared, e.g. `VIGIL_SCANS_DATABASE_URL`. */
  readonly variable?: string;
}

/** What the host opens before the product's modules exist. */
export interface HostResourceOptions {
  /** e.g. `scans`: the bus client is `vigil-scans`, log lines `vigil scans: …`, metrics `vigil_scans_…`. */
  readonly name: string;
  readonly config: ProductBasics;
  readonly database?: ProductDatabase;
  /** Names under which `/readyz` reports the bus and the database; default `bus` and `store`. */
  readonly readinessNames?: { readonly bus?: string; readonly store?: string };
}

/**
 * Everything a product shares with every other one, opened in order — database and its
 * migrations, bus, credential check, metrics — and closed in reverse once the app has stopped.
 */
export class HostResources {
  readonly registry = new Registry();
  readonly readiness = new ReadinessChecks();
  readonly outbox: EventOutbox | undefined;

  private constructor(
    readonly options: HostResourceOptions,
    readonly log: ProductLog,
    readonly nc: NatsConnection,
    readonly pool: SqlPool | undefined,
    readonly keys: KeyDirectory,
    readonly verifier: CredentialVerifier,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const names = options.readinessNames ?? {};
    this.readiness.add(names.bus ?? 'bus', () =>
      pingBus(nc, 1_000).then(
        () => true,
        () => false,
      ),
    );
    if (pool) {
      this.readiness.add(names.store ?? 'store', () =>
        pool.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      );
    }
    this.outbox = options.database?.outbox && pool ? this.openOutbox(pool) : undefined;
  }

  /** Opens everything; what was opened is closed again when a later step fails. */
  static async open(options: HostResourceOptions, announce: Announce): Promise<HostResources> {
    const { config, database, name } = options;
    const log = new ProductLog(name, announce);
    const pool = database ? await openDatabase(name, database) : undefined;
    try {
      if (database) {
        log.info(`data in ${describeDatabase(database.url)}`);
      }
      const nc = await connectBus({
        servers: config.natsUrl,
        name: `vigil-${name}`,
        credentials: config.natsCredentials,
      }).catch((error: unknown) => {
        throw new Error(
          `cannot connect to NATS at ${config.natsUrl} (NATS_URL): ${(error as Error).message}`,
        );
      });
      const { keys, verifier } = keyCheck(nc, pool, database, config.keyCacheTtlMs);
      return new HostResources(options, log, nc, pool, keys, verifier);
    } catch (error) {
      await pool?.close().catch(() => undefined);
      throw error;
    }
  }

  /** Starts relaying the outbox (once the product's modules are up). */
  start(): void {
    this.outbox?.start();
  }

  /** Stops the relay, drains the bus (pending acks complete) and closes the database. */
  async close(): Promise<void> {
    await this.outbox?.stop();
    await this.nc.drain().catch(() => undefined);
    await this.pool?.close().catch(() => undefined);
  }

  private openOutbox(pool: SqlPool): EventOutbox {
    const metric = (suffix: string, help: string) =>
      new Counter({
        name: `vigil_${this.options.name}_outbox_${suffix}`,
        help,
        registers: [this.registry],
      });
    const published = metric('published_total', 'Events relayed from the outbox to the bus');
    const failures = metric(
      'failures_total',
      'Outbox relay rounds that could not publish (retried with backoff)',
    );
    return new EventOutbox(pool, new SignalPublisher(this.nc), {
      events: {
        published: (count) => published.inc(count),
        failed: (error) => {
          failures.inc();
          this.log.warn('cannot publish outbox events yet, retrying', error);
        },
      },
    });
  }
}

/**
 * The credential check: ingestion reads keys from the platform store it holds and answers the
 * other services over the bus; every other product asks that directory (ADR 0016). Either way
 * keys are cached for `cacheTtlMs` and a key announced as changed leaves every cache at once.
 */
function keyCheck(
  nc: NatsConnection,
  pool: SqlPool | undefined,
  database: ProductDatabase | undefined,
  cacheTtlMs: number,
): { keys: KeyDirectory; verifier: CredentialVerifier } {
  const changes = new KeyChanges(nc);
  if (pool && database?.holdsPlatformKeys) {
    const tenants = new TenantRepository(pool);
    const verifier = new CredentialVerifier(tenants, { cacheTtlMs });
    serveKeyDirectory(nc, tenants, (keyId) => {
      verifier.invalidate(keyId);
      changes.announce(keyId);
    });
    changes.follow((keyId) => verifier.invalidate(keyId));
    return { keys: tenants, verifier };
  }
  const keys = new BusKeyDirectory(nc);
  const verifier = new CredentialVerifier(keys, { cacheTtlMs });
  changes.follow((keyId) => verifier.invalidate(keyId));
  return { keys, verifier };
}

async function openDatabase(name: string, database: ProductDatabase): Promise<SqlPool> {
  const pool = createPostgresPool({ url: database.url, applicationName: `vigil-${name}` });
  try {
    await runMigrations(pool, database.component, [...database.migrations]);
    return pool;
  } catch (error) {
    await pool.close().catch(() => undefined);
    if (!database.variable) {
      throw error;
    }
    throw new Error(
      `cannot prepare the ${database.component} store (${database.variable}): ${(error as Error).message}`,
    );
  }
}
