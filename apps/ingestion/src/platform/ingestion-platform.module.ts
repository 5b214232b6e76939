import { readFileSync } from 'node:fs';
import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { Registry } from 'prom-client';
import { ensureSignalStreams, SignalPublisher, type NatsConnection } from '@vigil/bus';
import { readOrCreateSecret } from '@vigil/config';
import {
  Enricher,
  SignalIngestor,
  TenantRateLimiter,
  ConsumerBackpressure,
  ThreatIntelLists,
} from '@vigil/ingestion-core';
import { BackgroundJobs, BUS, DATABASE, PRODUCT_CONFIG, ProductLog } from '@vigil/service-kit';
import type { SqlPool } from '@vigil/store';
import { TenantRepository } from '@vigil/tenants';
import { SchemaRegistry, SignalValidator } from '@vigil/signals';
import { dataDirFile, type IngestionConfig } from '../config/ingestion.config';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { JetStreamSink } from './jetstream-sink';
import { KeyRevocations } from './key-revocations';
import { StreamCompaction } from './stream-compaction';

const KEY_PURGE_INTERVAL_MS = 3_600_000;
const EXPIRED_KEY_RETENTION_MS = 86_400_000;

/**
 * What ingestion owns for the whole platform (besides the schema catalog, see
 * `PlatformSchemasModule`): the SIGNALS, REPLAY and
 * DEADLETTER streams (provisioned before anything publishes), the ingestor with its enricher
 * and rate limiter, key revocations and the compaction of SIGNALS.
 */
@Global()
@Module({
  providers: [
    {
      provide: IngestMetrics,
      useFactory: (registry: Registry) => new IngestMetrics(registry),
      inject: [Registry],
    },
    {
      provide: TenantRateLimiter,
      useFactory: (config: IngestionConfig) =>
        new TenantRateLimiter({
          ratePerSecond: config.rateLimit.perSecond,
          burst: config.rateLimit.burst,
        }),
      inject: [PRODUCT_CONFIG],
    },
    {
      provide: ConsumerBackpressure,
      useFactory: (config: IngestionConfig) =>
        new ConsumerBackpressure(
          config.backpressure.maxConsumerLag,
          Math.max(1, Math.ceil(config.stream.compactIntervalMs / 1_000)),
        ),
      inject: [PRODUCT_CONFIG],
    },
    {
      provide: SignalIngestor,
      useFactory: (
        config: IngestionConfig,
        registry: SchemaRegistry,
        nc: NatsConnection,
        metrics: IngestMetrics,
      ) => {
        const threatIntel = config.threatIntelFile
          ? loadThreatIntel(config.threatIntelFile)
          : ThreatIntelLists.empty();
        const enricher = Enricher.standard({
          threatIntel,
          piiKey: Buffer.from(resolvePiiKey(config)),
        });
        const sink = new JetStreamSink(
          new SignalPublisher(nc, {
            ackTimeoutMs: config.timeouts.publishAckMs,
            onSettled: (seconds) => metrics.publishSeconds.observe(seconds),
          }),
        );
        return new SignalIngestor(new SignalValidator(registry), enricher, sink);
      },
      inject: [PRODUCT_CONFIG, SchemaRegistry, BUS, IngestMetrics],
    },
    {
      provide: TenantRepository,
      useFactory: (pool: SqlPool) => new TenantRepository(pool),
      inject: [DATABASE],
    },
    KeyRevocations,
    StreamCompaction,
  ],
  exports: [
    IngestMetrics,
    TenantRateLimiter,
    ConsumerBackpressure,
    SignalIngestor,
    TenantRepository,
    KeyRevocations,
  ],
})
export class IngestionPlatformModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(BUS) private readonly nc: NatsConnection,
    @Inject(PRODUCT_CONFIG) private readonly config: IngestionConfig,
    private readonly tenants: TenantRepository,
    private readonly background: BackgroundJobs,
    private readonly log: ProductLog,
  ) {}

  /**
   * Each scan job gets a short-lived key; once expired for a day (kept that long for audit)
   * they are deleted, where one per job would otherwise accumulate. Jobs keep their key ids.
   */
  onApplicationBootstrap(): void {
    this.background.every(
      'expired key purge',
      KEY_PURGE_INTERVAL_MS,
      async () => {
        const purged = await this.tenants.purgeExpiredKeys(
          new Date(Date.now() - EXPIRED_KEY_RETENTION_MS),
        );
        if (purged > 0) {
          this.log.info(`purged ${purged} expired job keys`);
        }
      },
      true,
    );
  }

  async onModuleInit(): Promise<void> {
    for (const deprecation of this.config.deprecations) {
      this.log.info(deprecation);
    }
    await ensureSignalStreams(this.nc, this.config.stream, (warning) => this.log.info(warning));
  }
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
