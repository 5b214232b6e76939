import { Counter, Gauge, type Registry } from 'prom-client';

/** The scans service's metrics (`vigil_scans_*`), registered in `registry`. */
export function createScansMetrics(registry: Registry) {
  return {
    scans: new Counter({
      name: 'vigil_scans_requested_total',
      help: 'Scans requested',
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'vigil_scans_jobs_ended_total',
      help: 'Jobs that ended, by kind and state',
      labelNames: ['kind', 'state'],
      registers: [registry],
    }),
    findings: new Counter({
      name: 'vigil_scans_findings_received_total',
      help: 'Finding signals taken',
      registers: [registry],
    }),
    fixed: new Counter({
      name: 'vigil_scans_findings_fixed_total',
      help: 'Findings marked fixed by a later scan',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'vigil_scans_ticket_deliveries_total',
      help: 'Ticket delivery attempts, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'vigil_scans_outbox_published_total',
      help: 'Events published from the outbox (finding status signals)',
      registers: [registry],
    }),
    outboxFailures: new Counter({
      name: 'vigil_scans_outbox_failures_total',
      help: 'Outbox rounds that could not publish (the events wait and are retried)',
      registers: [registry],
    }),
    openJobs: new Gauge({
      name: 'vigil_scans_open_jobs',
      help: 'Jobs queued or running',
      registers: [registry],
    }),
  };
}
