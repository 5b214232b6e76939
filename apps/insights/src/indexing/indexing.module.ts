import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundJobs, PRODUCT_CONFIG } from '@vigil/service-kit';
import type { InsightsConfig } from '../config/insights.config';
import { IndexingMetrics } from './indexing.metrics';
import { SignalIndexerService } from './signal-indexer.service';
import { SignalsHandler } from './signals.handler';

/** Signals into the index, and the retention job. */
@Module({
  controllers: [SignalsHandler],
  providers: [IndexingMetrics, SignalIndexerService],
})
export class IndexingModule implements OnApplicationBootstrap {
  constructor(
    private readonly indexer: SignalIndexerService,
    private readonly background: BackgroundJobs,
    @Inject(PRODUCT_CONFIG) private readonly config: InsightsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.background.every('retention job', this.config.purgeIntervalMs, () =>
      this.indexer.purge(this.config.retention),
    );
  }
}
