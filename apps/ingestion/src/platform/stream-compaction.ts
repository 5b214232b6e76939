import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { StreamCompactor, type NatsConnection } from '@vigil/bus';
import { ConsumerBackpressure } from '@vigil/ingestion-core';
import { BUS, PRODUCT_CONFIG, ProductLog } from '@vigil/service-kit';
import type { IngestionConfig } from '../config/ingestion.config';
import { IngestMetrics } from '../metrics/ingest-metrics';

/**
 * Removes signals every consumer has acknowledged once the stream fills past half its budget,
 * keeps the lag and dead-letter gauges current (see StreamCompactor), and tells the
 * backpressure gate how far behind each working consumer is.
 */
@Injectable()
export class StreamCompaction implements OnApplicationBootstrap, OnApplicationShutdown {
  private compactor: StreamCompactor | undefined;

  constructor(
    @Inject(BUS) private readonly nc: NatsConnection,
    @Inject(PRODUCT_CONFIG) private readonly config: IngestionConfig,
    private readonly metrics: IngestMetrics,
    private readonly backpressure: ConsumerBackpressure,
    private readonly log: ProductLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    let failing = false;
    this.compactor = await StreamCompactor.start(this.nc, {
      intervalMs: this.config.stream.compactIntervalMs,
      onPass: (pass) => {
        failing = false;
        this.metrics.observe(pass);
        this.backpressure.observe(pass.behind);
      },
      onError: (error) => {
        if (!failing) {
          this.log.info(`the SIGNALS compaction pass failed, will retry: ${String(error)}`);
        }
        failing = true;
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.compactor?.stop();
  }
}
