import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import {
  ensureStream,
  replicasFor,
  SIGNALS_STREAM,
  type StreamConfigInput,
  type StreamReplicas,
} from '@vigil/bus';

/** The work queue between the router and the detection partitions. */
export const DETECTION_QUEUE = 'PLAYBOOKS';
/** Durable of the router on SIGNALS (and on REPLAY): the name the single-instance service used. */
export const ROUTER_DURABLE = 'playbooks';
/** The KV bucket of partition leases. */
export const LEASE_BUCKET = 'vigil-playbooks-partitions';

/** Subject of a signal queued for a partition: `playbooks.<partition>.<tenant>.<type>`. */
export function queueSubject(partition: number, tenantAndType: string): string {
  return `playbooks.${partition}.${tenantAndType}`;
}

/** Every message of one partition. */
export function partitionFilter(partition: number): string {
  return `playbooks.${partition}.>`;
}

/** The durable consumer of one partition (one per partition, read by its lease holder only). */
export function partitionDurable(partition: number): string {
  return `playbooks-p${partition}`;
}

/** Settings of the queue. */
export interface DetectionQueueOptions {
  readonly partitions: number;
  /** Bytes queued at most; when full the router waits (signals stay on SIGNALS). */
  readonly maxBytes: number;
  readonly replicas: StreamReplicas;
}

const DESCRIPTION = /\((\d+) partitions\)/;

/**
 * Creates or updates the queue: a work-queue stream (a message is gone once its partition
 * acknowledged it, so it never grows beyond the lag), refusing new messages when full rather
 * than dropping queued ones. Its description records the partition count: changing the count
 * while messages wait would strand them on partitions nobody reads, so that is refused.
 */
export async function ensureDetectionQueue(
  jsm: JetStreamManager,
  options: DetectionQueueOptions,
  warn: (message: string) => void,
): Promise<void> {
  const signals = await jsm.streams.info(SIGNALS_STREAM);
  const existing = await jsm.streams.info(DETECTION_QUEUE).catch(() => undefined);
  const recorded = Number(DESCRIPTION.exec(existing?.config.description ?? '')?.[1] ?? 0);
  if (existing && recorded !== options.partitions && existing.state.messages > 0) {
    throw new Error(
      `the ${DETECTION_QUEUE} stream holds ${existing.state.messages} signals queued for ${recorded} partitions; ` +
        `VIGIL_PLAYBOOKS_PARTITIONS=${options.partitions} would strand them: start with ${recorded} until the queue is empty, then change it`,
    );
  }
  await ensureStream(jsm, detectionQueueConfig(options, signals.config), warn);
}

function detectionQueueConfig(
  options: DetectionQueueOptions,
  signals: StreamConfig,
): StreamConfigInput {
  return {
    name: DETECTION_QUEUE,
    description: `Signals queued for playbooks detection, by partition (${options.partitions} partitions)`,
    subjects: ['playbooks.>'],
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.New,
    max_bytes: options.maxBytes,
    max_msg_size: signals.max_msg_size > 0 ? signals.max_msg_size + 4_096 : -1,
    // Router redeliveries (a batch retried after a partial publish) are dropped by message id.
    duplicate_window: nanos(2 * 60 * 1_000),
    num_replicas: replicasFor(DETECTION_QUEUE, options.replicas),
  };
}
