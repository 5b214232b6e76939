import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { ensureDurableConsumer, ensureStream } from '@vigil/bus';
import {
  scanEventsStream,
  scanJobsStream,
  workerConsumer,
  type JobQueueSettings,
  type StreamReplicas,
} from '@vigil/topology';

/** How jobs are delivered to workers. */
export interface JobQueuePolicy extends JobQueueSettings {
  /** Scan kinds with a queue (one durable consumer each, shared by that kind's workers). */
  readonly kinds: readonly string[];
  /** Copies of each job and event in a JetStream cluster (`VIGIL_STREAM_REPLICAS[_<STREAM>]`); default 1. */
  readonly replicas?: StreamReplicas;
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
  await ensureStream(jsm, scanJobsStream(policy.replicas), warn);
  await ensureStream(jsm, scanEventsStream(policy.replicas), warn);
  for (const kind of policy.kinds) {
    await ensureDurableConsumer(jsm, workerConsumer(kind, policy));
  }
}
