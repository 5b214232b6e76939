import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import type { ArchiverEvents } from '@vigil/archive';
import type { ProductLog } from '@vigil/service-kit';

/** The archive service's metrics (`vigil_archive_*`). */
@Injectable()
export class ArchiveMetrics {
  private readonly rows: Counter;
  private readonly files: Counter;
  private readonly failures: Counter;
  private readonly skipped: Counter;
  private readonly lastStored: Gauge;

  constructor(registry: Registry) {
    const counter = (name: string, help: string) =>
      new Counter({ name, help, registers: [registry] });
    this.rows = counter('vigil_archive_rows_total', 'Signals archived');
    this.files = counter('vigil_archive_files_total', 'Parquet files written');
    this.failures = counter(
      'vigil_archive_batch_failures_total',
      'Batches that failed (retried later)',
    );
    this.skipped = counter(
      'vigil_archive_redelivered_skipped_total',
      'Redelivered signals already archived (not written again)',
    );
    this.lastStored = new Gauge({
      name: 'vigil_archive_last_batch_timestamp_seconds',
      help: 'When the last batch was stored',
      registers: [registry],
    });
  }

  /** The archiver's reports, counted and logged. */
  archiverEvents(log: ProductLog): ArchiverEvents {
    return {
      stored: (batch) => {
        this.rows.inc(batch.rows);
        this.files.inc(batch.files);
        this.skipped.inc(batch.skipped);
        this.lastStored.setToCurrentTime();
      },
      failed: (error, size) => {
        this.failures.inc();
        log.info(`a batch of ${size} signals failed and will be retried: ${String(error)}`);
      },
      rejected: (count) => log.info(`${count} malformed records dead-lettered`),
    };
  }
}
