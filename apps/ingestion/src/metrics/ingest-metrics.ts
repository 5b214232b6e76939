import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, in a registry of its own (several apps may share a process). */
export class IngestMetrics {
  readonly registry = new Registry();
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
  readonly batchSize = new Histogram({
    name: 'vigil_ingest_batch_size',
    help: 'Envelopes per ingest request.',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_ingest_' });
  }
}
