import { DiscardPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/nats-core';
import { ensureDurableConsumer, ensureStream, replicasFor, type StreamReplicas } from '@vigil/bus';
import { SCAN_EVENTS_STREAM, SCAN_JOBS_STREAM, workerConsumerName, jobSubject } from '@vigil/scans';

/** How jobs are delivered to workers. */
export interface JobQueuePolicy {
  /** Scan kinds with a queue (one durable consumer each, shared by that kind's workers). */
  readonly kinds: readonly string[];
  /** Time a worker has to report life (it heartbeats while working) before the job goes to another (ms). */
  readonly ackWaitMs: number;
  /** Copies of each job and event in a JetStream cluster (`VIGIL_STREAM_REPLICAS[_<STREAM>]`); default 1. */
  readonly replicas?: StreamReplicas;
  /** Deliveries of a job at most. */
  readonly maxAttempts: number;
}

/**
 * Creates or updates the scan streams and one durable consumer per kind: `SCANJOBS` keeps a job
 * until a worker acknowledges it (work-queue retention), so a worker that dies mid-job only
 * delays it; `SCANEVENTS` keeps workers' reports for the scans service for 7 days.
 */
export async function ensureScanStreams(
  nc: NatsConnection,
  policy: JobQueuePolicy,
  warn?: (message: string) => void,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await ensureStream(
    jsm,
    {
      name: SCAN_JOBS_STREAM,
      description: 'Scan jobs waiting for a worker (subject scans.jobs.<kind>)',
      subjects: ['scans.jobs.>'],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      discard: DiscardPolicy.New,
      duplicate_window: nanos(10 * 60_000),
      max_bytes: 256 * 1024 * 1024,
      max_msg_size: 64 * 1024,
      num_replicas: replicasFor(SCAN_JOBS_STREAM, policy.replicas),
    },
    warn,
  );
  await ensureStream(
    jsm,
    {
      name: SCAN_EVENTS_STREAM,
      description: 'What scanner workers report about jobs (subject scans.events.<tenant>)',
      subjects: ['scans.events.>'],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      duplicate_window: nanos(10 * 60_000),
      max_age: nanos(7 * 24 * 3600_000),
      max_bytes: 256 * 1024 * 1024,
      max_msg_size: 1024 * 1024,
      num_replicas: replicasFor(SCAN_EVENTS_STREAM, policy.replicas),
    },
    warn,
  );
  for (const kind of policy.kinds) {
    await ensureDurableConsumer(jsm, {
      durable: workerConsumerName(kind),
      stream: SCAN_JOBS_STREAM,
      filterSubject: jobSubject(kind),
      maxDeliver: policy.maxAttempts,
      ackWaitMs: policy.ackWaitMs,
      maxAckPending: 1_000,
    });
  }
}
