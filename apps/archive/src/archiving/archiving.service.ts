import { join } from 'node:path';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { Archiver, sweepRetention, type ArchiveStorage } from '@vigil/archive';
import { SIGNALS_STREAM, type NatsConnection } from '@vigil/bus';
import {
  BackgroundJobs,
  BUS,
  PRODUCT_CONFIG,
  ProductLog,
  ReadinessChecks,
  waitForPlatformStream,
} from '@vigil/service-kit';
import { ARCHIVE_STORAGE } from '../archive-storage.module';
import type { ArchiveConfig } from '../config/archive.config';
import { ArchiveMetrics } from './archive.metrics';

/**
 * Runs the archiver (its consumer lives in `@vigil/archive`, bound to the ledger of its durable)
 * and the retention sweep. The archiver starts once SIGNALS exists and stops — storing what it
 * buffers — after HTTP has closed.
 */
@Injectable()
export class ArchivingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private archiver: Archiver | undefined;

  constructor(
    @Inject(BUS) private readonly nc: NatsConnection,
    @Inject(ARCHIVE_STORAGE) private readonly storage: ArchiveStorage,
    @Inject(PRODUCT_CONFIG) private readonly config: ArchiveConfig,
    private readonly metrics: ArchiveMetrics,
    private readonly log: ProductLog,
    private readonly background: BackgroundJobs,
    readiness: ReadinessChecks,
  ) {
    readiness.add('archiver', () => this.archiver !== undefined);
  }

  async onApplicationBootstrap(): Promise<void> {
    await waitForPlatformStream(this.nc, this.log);
    this.archiver = await Archiver.start(this.nc, this.storage, {
      ...(await this.batchWithinStreamBudget()),
      stagingDir: join(this.config.dataDir, 'archive-staging'),
      events: this.metrics.archiverEvents(this.log),
    });
    this.log.info(`signals are archived to ${this.storage.description}`);
    this.background.every('retention sweep', this.config.retentionIntervalMs, () => this.sweep());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.archiver?.stop().catch(() => undefined);
    this.archiver = undefined;
  }

  /**
   * The open batch is acknowledged only when it is stored, so it holds its signals in SIGNALS
   * meanwhile: a batch near the stream's byte budget would fill the stream by itself and make
   * ingestion refuse signals. Batches are therefore kept to a quarter of that budget.
   */
  private async batchWithinStreamBudget(): Promise<ArchiveConfig['batch']> {
    const jsm = await jetstreamManager(this.nc);
    const streamBytes = (await jsm.streams.info(SIGNALS_STREAM)).config.max_bytes;
    const allowed = Math.floor(streamBytes / 4);
    if (streamBytes <= 0 || this.config.batch.maxBytes <= allowed) {
      return this.config.batch;
    }
    this.log.info(
      `batches are limited to ${allowed} bytes, a quarter of the SIGNALS stream's budget (VIGIL_ARCHIVE_BATCH_BYTES is ${this.config.batch.maxBytes})`,
    );
    return { ...this.config.batch, maxBytes: allowed };
  }

  private async sweep(): Promise<void> {
    const outcome = await sweepRetention(this.storage, this.config.retention);
    if (outcome.deletedFiles > 0) {
      this.log.info(
        `retention removed ${outcome.deletedFiles} files (${outcome.deletedBytes} bytes)`,
      );
    }
  }
}
