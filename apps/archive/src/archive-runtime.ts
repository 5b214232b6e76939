import { join } from 'node:path';
import { Registry, Counter, Gauge, collectDefaultMetrics } from 'prom-client';
import {
  ArchiveCatalog,
  ArchiveQueryEngine,
  Archiver,
  canLimitQueryMemory,
  openArchiveStorage,
  sweepRetention,
  type ArchiveStorage,
} from '@vigil/archive';
import {
  connectBus,
  pingBus,
  SIGNALS_STREAM,
  waitForStream,
  type NatsConnection,
} from '@vigil/bus';
import { jetstreamManager } from '@nats-io/jetstream';
import { createPostgresPool, type SqlPool } from '@vigil/store';
import { TenantRepository, type CredentialVerifier } from '@vigil/tenants';
import type { ArchiveConfig } from './config/archive.config';
import { keyFollowingVerifier, type Announce } from '@vigil/service-kit';

/**
 * Every long-lived part of the archive service: the bus, the archiver, the storage, the query
 * engine, the retention job, the credential check and the metrics. `close()` releases them.
 */
export class ArchiveRuntime {
  readonly registry = new Registry();
  private retentionTimer: NodeJS.Timeout | undefined;
  private readonly rows = new Counter({
    name: 'vigil_archive_rows_total',
    help: 'Signals archived',
    registers: [this.registry],
  });
  private readonly files = new Counter({
    name: 'vigil_archive_files_total',
    help: 'Parquet files written',
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'vigil_archive_batch_failures_total',
    help: 'Batches that failed (retried later)',
    registers: [this.registry],
  });
  private readonly skipped = new Counter({
    name: 'vigil_archive_redelivered_skipped_total',
    help: 'Redelivered signals already archived (not written again)',
    registers: [this.registry],
  });
  private readonly lastStored = new Gauge({
    name: 'vigil_archive_last_batch_timestamp_seconds',
    help: 'When the last batch was stored',
    registers: [this.registry],
  });
  private archiver: Archiver | undefined;

  private constructor(
    readonly config: ArchiveConfig,
    readonly storage: ArchiveStorage,
    readonly engine: ArchiveQueryEngine,
    readonly verifier: CredentialVerifier,
    private readonly nc: NatsConnection,
    private readonly pool: SqlPool,
    private readonly announce: Announce,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Connects, waits for the signals stream, and starts archiving and the retention job. */
  static async start(config: ArchiveConfig, announce: Announce): Promise<ArchiveRuntime> {
    const pool = createPostgresPool({ url: config.platformDatabaseUrl });
    // Ingestion owns the platform store and migrates it; the archive only checks credentials.
    const nc = await connectBus({
      servers: config.natsUrl,
      name: 'vigil-archive',
      credentials: config.natsCredentials,
    });
    const storage = openArchiveStorage(config.storage, config.dataDir);
    const engine = new ArchiveQueryEngine(new ArchiveCatalog(storage), config.query, announce);
    const verifier = keyFollowingVerifier(nc, new TenantRepository(pool), config.keyCacheTtlMs);
    const runtime = new ArchiveRuntime(config, storage, engine, verifier, nc, pool, announce);
    try {
      await runtime.startArchiver();
    } catch (error) {
      await runtime.close();
      throw error;
    }
    announce(`vigil archive: signals are archived to ${storage.description}`);
    if (!canLimitQueryMemory()) {
      announce(
        'vigil archive: prlimit is not on PATH, so archive queries run without an operating-system memory limit (install util-linux)',
      );
    }
    return runtime;
  }

  /** Bus connected and archiver running. */
  async readiness(): Promise<Record<string, boolean>> {
    const bus = await pingBus(this.nc).then(
      () => true,
      () => false,
    );
    return { bus, archiver: this.archiver !== undefined };
  }

  /** Archives what is buffered, stops, and releases everything. */
  async close(): Promise<void> {
    clearInterval(this.retentionTimer);
    await this.archiver?.stop().catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
    await this.pool.close();
    this.storage.close?.();
  }

  private async startArchiver(): Promise<void> {
    await waitForStream(this.nc, SIGNALS_STREAM, () =>
      this.announce(
        `vigil archive: waiting for the ${SIGNALS_STREAM} stream (start ingestion first)`,
      ),
    );
    this.archiver = await Archiver.start(this.nc, this.storage, {
      ...(await this.batchWithinStreamBudget()),
      stagingDir: join(this.config.dataDir, 'archive-staging'),
      events: {
        stored: (batch) => {
          this.rows.inc(batch.rows);
          this.files.inc(batch.files);
          this.skipped.inc(batch.skipped);
          this.lastStored.setToCurrentTime();
        },
        failed: (error, size) => {
          this.failures.inc();
          this.announce(
            `vigil archive: a batch of ${size} signals failed and will be retried: ${String(error)}`,
          );
        },
        rejected: (count) =>
          this.announce(`vigil archive: ${count} malformed records dead-lettered`),
      },
    });
    this.retentionTimer = setInterval(() => void this.sweep(), this.config.retentionIntervalMs);
    this.retentionTimer.unref();
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
    this.announce(
      `vigil archive: batches are limited to ${allowed} bytes, a quarter of the SIGNALS stream's budget (VIGIL_ARCHIVE_BATCH_BYTES is ${this.config.batch.maxBytes})`,
    );
    return { ...this.config.batch, maxBytes: allowed };
  }

  private async sweep(): Promise<void> {
    try {
      const outcome = await sweepRetention(this.storage, this.config.retention);
      if (outcome.deletedFiles > 0) {
        this.announce(
          `vigil archive: retention removed ${outcome.deletedFiles} files (${outcome.deletedBytes} bytes)`,
        );
      }
    } catch (error) {
      this.announce(`vigil archive: retention sweep failed, will retry: ${String(error)}`);
    }
  }
}
