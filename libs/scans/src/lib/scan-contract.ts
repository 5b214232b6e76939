/**
 * The bus contract between the scans service and scanner workers: stream, subject and consumer
 * names. Jobs and job events are JSON documents of `urn:vigil:document:scan-job:1` and
 * `urn:vigil:document:scan-job-event:1`.
 */

/** Work-queue stream of jobs: a job leaves it once a worker acknowledged it. */
export const SCAN_JOBS_STREAM = 'SCANJOBS';

/** Stream of what workers report about jobs, read by the scans service. */
export const SCAN_EVENTS_STREAM = 'SCANEVENTS';

/** Scan kinds whose workers ship with Vigil. */
export const BUILT_IN_SCAN_KINDS = ['dependencies', 'secrets', 'ports', 'http-headers'] as const;

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

/** True for a name usable as a scan kind (and so as a subject token). */
export function isScanKind(kind: string): boolean {
  return KIND_PATTERN.test(kind);
}

/** Subject on which the jobs of one kind are queued: `scans.jobs.<kind>`. */
export function jobSubject(kind: string): string {
  if (!isScanKind(kind)) {
    throw new Error(`invalid scan kind for a subject: ${JSON.stringify(kind)}`);
  }
  return `scans.jobs.${kind}`;
}

/** Subject on which workers report on a tenant's jobs: `scans.events.<tenant>`. */
export function jobEventSubject(tenant: string): string {
  return `scans.events.${tenant}`;
}

/** The durable consumer shared by every worker of a kind (JetStream's queue group). */
export function workerConsumerName(kind: string): string {
  return `scan-workers-${kind}`;
}
