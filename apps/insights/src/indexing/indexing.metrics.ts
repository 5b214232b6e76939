import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The indexing metrics (`vigil_insights_*`). */
@Injectable()
export class IndexingMetrics {
  readonly indexed: Counter;
  readonly duplicates: Counter;
  readonly rejected: Counter;
  readonly failures: Counter;
  readonly purged: Counter;
  readonly batchSeconds: Histogram;
  readonly lag: Gauge;

  constructor(registry: Registry) {
    const counter = (name: string, help: string) =>
      new Counter({ name, help, registers: [registry] });
    this.indexed = counter('vigil_insights_indexed_total', 'Signal documents indexed');
    this.duplicates = counter(
      'vigil_insights_duplicates_total',
      'Signals already indexed (redeliveries), changing nothing',
    );
    this.rejected = counter(
      'vigil_insights_rejected_total',
      'Messages that are not signal records (dead-lettered)',
    );
    this.failures = counter(
      'vigil_insights_index_failures_total',
      'Batches the store could not take (retried later with backoff)',
    );
    this.purged = counter('vigil_insights_purged_total', 'Signals dropped by retention');
    this.batchSeconds = new Histogram({
      name: 'vigil_insights_batch_seconds',
      help: 'Time to index one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'vigil_insights_index_lag_seconds',
      help: 'From ingestion of the newest indexed signal to its indexing',
      registers: [registry],
    });
  }
}
