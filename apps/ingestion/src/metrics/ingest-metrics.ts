import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CompactionPass } from '@vigil/bus';

/** Holds the registry before the metric fields below are initialised (they run after `super`). */
abstract class InRegistry {
  constructor(readonly registry: Registry) {}
}

/** The service's Prometheus metrics, in the product's registry. */
export class IngestMetrics extends InRegistry {
  readonly accepted = new Counter({
    name: 'vigil_ingest_signals_accepted_total',
    help: 'Signals newly stored in the SIGNALS stream, by type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'vigil_ingest_signals_rejected_total',
    help: 'Signals refused, by the rule of their first error.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'vigil_ingest_signals_duplicate_total',
    help: 'Signals not stored again because their id was already stored or repeated in the batch.',
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'vigil_ingest_requests_total',
    help: 'Ingest requests, by HTTP status.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly publishSeconds = new Histogram({
    name: 'vigil_ingest_publish_seconds',
    help: 'Time from publish to the stream ack, per signal.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'vigil_bus_consumer_lag_messages',
    help: 'Messages of SIGNALS a consumer has not acknowledged yet (pending and in flight), by consumer.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly deadLetters = new Gauge({
    name: 'vigil_bus_dead_letters',
    help: 'Messages in the DEADLETTER stream (inspect with vigil dlq list).',
    registers: [this.registry],
  });
  readonly streamBytes = new Gauge({
    name: 'vigil_signals_stream_bytes',
    help: 'Bytes the SIGNALS stream holds.',
    registers: [this.registry],
  });
  readonly streamMaxBytes = new Gauge({
    name: 'vigil_signals_stream_max_bytes',
    help: 'Byte budget of the SIGNALS stream (new signals are refused at it).',
    registers: [this.registry],
  });
  readonly purged = new Counter({
    name: 'vigil_signals_compacted_total',
    help: 'Messages removed from SIGNALS after every consumer had acknowledged them.',
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'vigil_ingest_batch_size',
    help: 'Envelopes per ingest request.',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
    registers: [this.registry],
  });

  /** Records what a compaction pass of the SIGNALS stream saw. */
  observe(pass: CompactionPass): void {
    this.consumerLag.reset();
    pass.lag.forEach((lag, consumer) => this.consumerLag.set({ consumer }, lag));
    this.deadLetters.set(pass.deadLetters);
    this.streamBytes.set(pass.bytes);
    this.streamMaxBytes.set(pass.maxBytes);
    this.purged.inc(pass.purged);
  }
}
