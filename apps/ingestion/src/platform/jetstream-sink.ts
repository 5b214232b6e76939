import type { SignalPublisher } from '@vigil/bus';
import type { SignalSink, SinkMessage } from '@vigil/ingestion-core';

/**
 * The ingestor's sink on JetStream: resolves once the SIGNALS stream has acked the record. The
 * publish latency is observed by the publisher itself (see `IngestionRuntime`): wrapping each
 * publish here in another promise step would cost one more allocation and microtask per signal.
 */
export class JetStreamSink implements SignalSink {
  constructor(private readonly publisher: SignalPublisher) {}

  store(message: SinkMessage): Promise<{ duplicate: boolean }> {
    return this.publisher.publish(message);
  }
}
