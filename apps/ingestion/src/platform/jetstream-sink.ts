import type { SignalPublisher } from '@vigil/bus';
import type { SignalSink, SinkMessage } from '@vigil/ingestion-core';
import type { IngestMetrics } from '../metrics/ingest-metrics';

/** The ingestor's sink on JetStream: resolves once the SIGNALS stream has acked the record. */
export class JetStreamSink implements SignalSink {
  constructor(
    private readonly publisher: SignalPublisher,
    private readonly metrics: IngestMetrics,
  ) {}

  store(message: SinkMessage): Promise<{ duplicate: boolean }> {
    const stopTimer = this.metrics.publishSeconds.startTimer();
    // One promise per signal, not three (async function, await, finally): this runs per signal.
    return this.publisher.publish(message).then(
      (receipt) => {
        stopTimer();
        return receipt;
      },
      (error: unknown) => {
        stopTimer();
        throw error;
      },
    );
  }
}
