/** Every accepted signal: `signals.<tenant>.<type>`. */
export const SIGNALS_STREAM = 'SIGNALS';
/** Messages a consumer gave up on: `deadletter.<consumer>.<original subject>`. */
export const DEADLETTER_STREAM = 'DEADLETTER';
/** Archived signals re-published for one product: `replay.<product>.<tenant>.<type>`. */
export const REPLAY_STREAM = 'REPLAY';
/** Work-queue stream of scan jobs: a job leaves it once a worker acknowledged it. */
export const SCAN_JOBS_STREAM = 'SCANJOBS';
/** Stream of what scanner workers report about jobs, read by the scans service. */
export const SCAN_EVENTS_STREAM = 'SCANEVENTS';
/** The work queue between the playbooks router and its detection partitions. */
export const DETECTION_QUEUE = 'PLAYBOOKS';
/** Tenant signal schemas, owned by ingestion and followed by every service. */
export const SCHEMA_CATALOG_BUCKET = 'VIGIL_SCHEMAS';
/** Leases of the playbooks detection partitions. */
export const LEASE_BUCKET = 'vigil-playbooks-partitions';

/** The stream under a key-value bucket. */
export function bucketStream(bucket: string): string {
  return `KV_${bucket}`;
}
