/**
 * The bus contract between the scans service and scanner workers: stream, subject and consumer
 * names. Jobs and job events are JSON documents of `urn:vigil:document:scan-job:1` and
 * `urn:vigil:document:scan-job-event:1`.
 */

export {
  isScanKind,
  jobSubject,
  SCAN_EVENTS_STREAM,
  SCAN_JOBS_STREAM,
  workerDurable as workerConsumerName,
  BUILT_IN_SCAN_KINDS,
} from '@vigil/topology';

/** Subject on which workers report on a tenant's jobs: `scans.events.<tenant>`. */
export function jobEventSubject(tenant: string): string {
  return `scans.events.${tenant}`;
}
