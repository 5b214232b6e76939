import { readFileSync } from 'node:fs';
import {
  connectBus,
  ensureSignalStreams,
  KeyChanges,
  StreamCompactor,
  pingBus,
  SignalPublisher,
  type NatsConnection,
} from '@vigil/bus';
import { readOrCreateSecret } from '@vigil/config';
import {
  Enricher,
  SignalIngestor,
  TenantRateLimiter,
  ThreatIntelLists,
} from '@vigil/ingestion-core';
import { findSchemasDir, SchemaRegistry, SignalValidator } from '@vigil/signals';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import { TENANT_MIGRATIONS, TenantRepository, type CredentialVerifier } from '@vigil/tenants';
import { dataDirFile, type IngestionConfig } from '../config/ingestion.config';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { JetStreamSink } from './jetstream-sink';
import { keyFollowingVerifier, OperatorKey, type Announce } from '@vigil/service-kit';

/**
 * Every long-lived part of the ingestion service, built once from the configuration: schemas,
 * the platform store, the bus, the ingestor. Nest providers hand these out; `close()` releases them.
 */
export class IngestionRuntime {
  private compactor: StreamCompactor | undefined;

  private constructor(
    readonly config: IngestionConfig,
    readonly registry: SchemaRegistry,
    readonly ingestor: SignalIngestor,
    readonly tenants: TenantRepository,
    readonly verifier: CredentialVerifier,
    readonly operatorKey: OperatorKey,
    readonly rateLimiter: TenantRateLimiter,
    readonly metrics: IngestMetrics,
    private readonly nc: NatsConnection,
    private readonly pool: SqlPool,
  ) {}

  /** Connects and provisions everything; fails with a message naming what is wrong. */
  static async start(config: IngestionConfig, announce: Announce): Promise<IngestionRuntime> {
    const registry = loadRegistry(config);
    const threatIntel = config.threatIntelFile
      ? loadThreatIntel(config.threatIntelFile)
      : ThreatIntelLists.empty();
    const pool = await openPlatformStore(config);
    let nc: NatsConnection | undefined;
    try {
      nc = await openBus(config, announce);
      const runtime = IngestionRuntime.assemble(config, registry, threatIntel, pool, nc, announce);
      await runtime.startCompactor(announce);
      return runtime;
    } catch (error) {
      await nc?.close().catch(() => undefined);
      await pool.close().catch(() => undefined);
      throw error;
    }
  }

  private static assemble(
    config: IngestionConfig,
    registry: SchemaRegistry,
    threatIntel: ThreatIntelLists,
    pool: SqlPool,
    nc: NatsConnection,
    announce: Announce,
  ): IngestionRuntime {
    const metrics = new IngestMetrics();
    const tenants = new TenantRepository(pool);
    const enricher = Enricher.standard({ threatIntel, piiKey: Buffer.from(resolvePiiKey(config)) });
    const sink = new JetStreamSink(
      new SignalPublisher(nc, {
        ackTimeoutMs: config.timeouts.publishAckMs,
        onSettled: (seconds) => metrics.publishSeconds.observe(seconds),
      }),
    );
    return new IngestionRuntime(
      config,
      registry,
      new SignalIngestor(new SignalValidator(registry), enricher, sink),
      tenants,
      keyFollowingVerifier(nc, tenants, config.keyCacheTtlMs),
      new OperatorKey(resolveOperatorKey(config, announce)),
      new TenantRateLimiter({
        ratePerSecond: config.rateLimit.perSecond,
        burst: config.rateLimit.burst,
      }),
      metrics,
      nc,
      pool,
    );
  }

  /**
   * Removes signals every consumer has acknowledged once the stream fills past half its budget,
   * and keeps the lag and dead-letter gauges current (see StreamCompactor).
   */
  private async startCompactor(announce: Announce): Promise<void> {
    let failing = false;
    this.compactor = await StreamCompactor.start(this.nc, {
      intervalMs: this.config.stream.compactIntervalMs,
      onPass: (pass) => {
        failing = false;
        this.metrics.observe(pass);
      },
      onError: (error) => {
        if (!failing) {
          announce(
            `vigil ingestion: the SIGNALS compaction pass failed, will retry: ${String(error)}`,
          );
        }
        failing = true;
      },
    });
  }

  /** A key was revoked here: this instance forgets it now, every other one on the bus's word. */
  keyRevoked(keyId: string): void {
    this.verifier.invalidate(keyId);
    new KeyChanges(this.nc).announce(keyId);
  }

  /** Whether each dependency answers now. */
  async readiness(): Promise<{ nats: boolean; store: boolean }> {
    const [nats, store] = await Promise.all([
      pingBus(this.nc, 1_000).then(
        () => true,
        () => false,
      ),
      this.pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
    ]);
    return { nats, store };
  }

  /** Drains the bus connection (in-flight acks complete) and closes the store. */
  async close(): Promise<void> {
    await this.compactor?.stop();
    await this.nc.drain().catch(() => undefined);
    await this.pool.close();
  }
}

function loadRegistry(config: IngestionConfig): SchemaRegistry {
  const schemasDir = config.schemasDir ?? findSchemasDir();
  if (!schemasDir) {
    throw new Error('cannot find the schemas/ folder; set VIGIL_SCHEMAS_DIR');
  }
  return SchemaRegistry.fromDirectory(schemasDir);
}

/** The platform store, migrated; closed again if the migrations fail. */
async function openPlatformStore(config: IngestionConfig): Promise<SqlPool> {
  const pool = createPostgresPool({
    url: config.platformDatabaseUrl,
    applicationName: 'vigil-ingestion',
  });
  try {
    await runMigrations(pool, 'platform', TENANT_MIGRATIONS);
    return pool;
  } catch (error) {
    await pool.close().catch(() => undefined);
    throw new Error(
      `cannot prepare the platform store (VIGIL_PLATFORM_DATABASE_URL): ${(error as Error).message}`,
    );
  }
}

/** The bus connection, with the platform streams provisioned. */
async function openBus(config: IngestionConfig, announce: Announce): Promise<NatsConnection> {
  const nc = await connectBus({
    servers: config.natsUrl,
    name: 'vigil-ingestion',
    credentials: config.natsCredentials,
  }).catch((error: unknown) => {
    throw new Error(
      `cannot connect to NATS at ${config.natsUrl} (NATS_URL): ${(error as Error).message}`,
    );
  });
  for (const deprecation of config.deprecations) {
    announce(`vigil ingestion: ${deprecation}`);
  }
  try {
    await ensureSignalStreams(nc, config.stream, (warning) =>
      announce(`vigil ingestion: ${warning}`),
    );
    return nc;
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw error;
  }
}

function resolveOperatorKey(config: IngestionConfig, announce: Announce): string {
  if (config.adminKey) {
    return config.adminKey;
  }
  const path = dataDirFile(config, 'operator.key');
  const secret = readOrCreateSecret(path, 'vop_');
  if (secret.generated) {
    announce(
      `Generated the operator key (shown once; also saved to ${path} for the CLI): ${secret.value}`,
    );
  }
  return secret.value;
}

function resolvePiiKey(config: IngestionConfig): string {
  return config.piiKey ?? readOrCreateSecret(dataDirFile(config, 'pii.key'), 'vpii_').value;
}

function loadThreatIntel(file: string): ThreatIntelLists {
  try {
    return ThreatIntelLists.fromJson(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(
      `cannot load threat-intel lists from ${file} (VIGIL_THREAT_INTEL_FILE): ${(error as Error).message}`,
    );
  }
}
