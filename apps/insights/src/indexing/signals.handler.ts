import { Controller } from '@nestjs/common';
import { INSIGHTS_DURABLE } from '@vigil/topology';
import type { BatchOutcome, ReceivedMessage } from '@vigil/bus';
import { OnBusBatch } from '@vigil/service-kit';
import type { InsightsConfig } from '../config/insights.config';
import { SignalIndexerService } from './signal-indexer.service';

/** Every signal of SIGNALS, indexed in batches by the durable `insights`. */
@Controller()
export class SignalsHandler {
  constructor(private readonly indexer: SignalIndexerService) {}

  @OnBusBatch(INSIGHTS_DURABLE, (config: InsightsConfig) => ({
    filterSubject: 'signals.>',
    maxMessages: config.batch.maxMessages,
    maxBytes: 8 * 1024 * 1024,
    maxAgeMs: config.batch.maxAgeMs,
  }))
  onSignals(batch: readonly ReceivedMessage[]): Promise<BatchOutcome> {
    return this.indexer.index(batch);
  }
}
