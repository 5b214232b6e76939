import { Counter, Gauge, type Registry } from 'prom-client';

/** The scans service's metrics (`vigil_scans_*`), registered in `registry`. */
export type ScansMetrics = ReturnType<typeof createScansMetrics>;

/** Nest token of {@link ScansMetrics}. */
export const SCANS_METRICS = Symbol('vigil:scans-metrics');

/** The scans service's metrics; the open-jobs gauge is read from `openJobs` at each scrape. */
export function createScansMetrics(registry: Registry, openJobs: () => Promise<number>) {
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
    openJobs: new Gauge({
      name: 'vigil_scans_open_jobs',
      help: 'Jobs queued or running',
      registers: [registry],
      async collect() {
        // A failed count keeps the last value: a store outage is reported by /readyz.
        const open = await openJobs().catch(() => undefined);
        if (open !== undefined) {
          this.set(open);
        }
      },
    }),
  };
}
