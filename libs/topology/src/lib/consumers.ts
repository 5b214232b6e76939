import { nanos, type ConsumerDefinition } from './jetstream-definitions';
import {
  DETECTION_QUEUE,
  REPLAY_STREAM,
  SCAN_EVENTS_STREAM,
  SCAN_JOBS_STREAM,
  SIGNALS_STREAM,
} from './names';

/** What a durable pull consumer is made of (defaults: SIGNALS, every signal, 5 deliveries). */
export interface ConsumerSettings {
  readonly durable: string;
  readonly stream?: string;
  /** Subject filter; default every signal (`signals.>`). */
  readonly filterSubject?: string;
  /** Deliveries before a failing message is dead-lettered; default 5 (-1: never give up). */
  readonly maxDeliver?: number;
  /** Time a handler has before the message is redelivered (ms); default 30 000. */
  readonly ackWaitMs?: number;
  /** Messages delivered but not yet acknowledged, at most; default 1 000. */
  readonly maxAckPending?: number;
}

/** A durable pull consumer with explicit acks, reading its stream from the start. */
export function durableConsumer(settings: ConsumerSettings): ConsumerDefinition {
  return {
    stream: settings.stream ?? SIGNALS_STREAM,
    config: {
      durable_name: settings.durable,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: settings.filterSubject ?? 'signals.>',
      max_deliver: settings.maxDeliver ?? 5,
      ack_wait: nanos(settings.ackWaitMs ?? 30_000),
      max_ack_pending: settings.maxAckPending ?? 1_000,
    },
  };
}

/** How a batch consumer buffers: at most `maxMessages`, handed over after `maxAgeMs`. */
export interface BatchSettings {
  readonly durable: string;
  readonly stream?: string;
  readonly filterSubject?: string;
  readonly maxMessages: number;
  readonly maxAgeMs: number;
  /** Default: twice the batch age plus a minute, in whole seconds. */
  readonly ackWaitMs?: number;
}

/**
 * The consumer under a batch consumer: unlimited deliveries (a failed batch is retried, never
 * dead-lettered as a whole), room for two batches in flight, and an ack wait beyond the batch
 * age — in whole seconds, the unit Terraform's JetStream provider declares it in.
 */
export function batchConsumer(settings: BatchSettings): ConsumerDefinition {
  const ackWaitMs = settings.ackWaitMs ?? settings.maxAgeMs * 2 + 60_000;
  return durableConsumer({
    durable: settings.durable,
    stream: settings.stream,
    filterSubject: settings.filterSubject,
    maxDeliver: -1,
    ackWaitMs: Math.ceil(ackWaitMs / 1_000) * 1_000,
    maxAckPending: settings.maxMessages * 2,
  });
}

/** The subjects of a product's replays on the REPLAY stream. */
export function replayFilter(product: string): string {
  return `replay.${product}.>`;
}

/** Durable of the archiver on SIGNALS. */
export const ARCHIVER_DURABLE = 'archiver';
/** Archive's batch defaults (`VIGIL_ARCHIVE_BATCH_ROWS`, `VIGIL_ARCHIVE_BATCH_AGE`). */
export const ARCHIVE_BATCH_DEFAULTS = { maxMessages: 50_000, maxAgeMs: 60_000 } as const;

/** Durable of the insights indexer on SIGNALS. */
export const INSIGHTS_DURABLE = 'insights';
/** Insights' batch defaults (`VIGIL_INSIGHTS_BATCH`, `VIGIL_INSIGHTS_BATCH_AGE`). */
export const INSIGHTS_BATCH_DEFAULTS = { maxMessages: 500, maxAgeMs: 250 } as const;

/** Durable of the playbooks router on SIGNALS and on REPLAY. */
export const ROUTER_DURABLE = 'playbooks';
/** The router's batches: routing is cheap, so batches are handed over at once. */
export const ROUTER_BATCH = { maxMessages: 500, maxAgeMs: 1 } as const;

/** The playbooks router's consumers: every signal, and the replays for playbooks. */
export function routerConsumers(): ConsumerDefinition[] {
  return [
    batchConsumer({ durable: ROUTER_DURABLE, ...ROUTER_BATCH }),
    batchConsumer({
      durable: ROUTER_DURABLE,
      stream: REPLAY_STREAM,
      filterSubject: replayFilter(ROUTER_DURABLE),
      ...ROUTER_BATCH,
    }),
  ];
}

/** Subject of a signal queued for a partition: `playbooks.<partition>.<tenant>.<type>`. */
export function queueSubject(partition: number, tenantAndType: string): string {
  return `playbooks.${partition}.${tenantAndType}`;
}

/** The durable consumer of one detection partition (read by its lease holder only). */
export function partitionConsumerSettings(partition: number): ConsumerSettings {
  return {
    durable: `playbooks-p${partition}`,
    stream: DETECTION_QUEUE,
    filterSubject: `playbooks.${partition}.>`,
    maxDeliver: -1,
  };
}

/** {@link partitionConsumerSettings} as a definition. */
export function partitionConsumer(partition: number): ConsumerDefinition {
  return durableConsumer(partitionConsumerSettings(partition));
}

/** Durable of the scans service on finding signals (and their replays). */
export const SCANS_DURABLE = 'scans';

/** The scans service's consumer of finding signals (it reads their replays the same way). */
export const FINDINGS_CONSUMER = { filterSubject: 'signals.*.finding', maxDeliver: -1 } as const;

/** The scans service's consumers of finding signals: live and replayed. */
export function findingConsumers(): ConsumerDefinition[] {
  return [
    durableConsumer({ durable: SCANS_DURABLE, ...FINDINGS_CONSUMER }),
    durableConsumer({
      durable: SCANS_DURABLE,
      ...FINDINGS_CONSUMER,
      stream: REPLAY_STREAM,
      filterSubject: replayFilter(SCANS_DURABLE),
    }),
  ];
}

/** Durable of the scans service on what workers report. */
export const JOB_EVENTS_DURABLE = 'scans-events';
/** The scans service's consumer of what workers report. */
export const JOB_EVENTS_CONSUMER = {
  stream: SCAN_EVENTS_STREAM,
  filterSubject: 'scans.events.>',
  maxDeliver: -1,
} as const;

/** {@link JOB_EVENTS_CONSUMER} as a definition. */
export function jobEventsConsumer(): ConsumerDefinition {
  return durableConsumer({ durable: JOB_EVENTS_DURABLE, ...JOB_EVENTS_CONSUMER });
}

/** How jobs are delivered to workers. */
export interface JobQueueSettings {
  /** Time a worker has to report life (it heartbeats while working) before the job goes to another (ms). */
  readonly ackWaitMs: number;
  /** Deliveries of a job at most. */
  readonly maxAttempts: number;
}

/** The scans service's defaults (`VIGIL_SCANS_JOB_ACK_WAIT`, `VIGIL_SCANS_JOB_ATTEMPTS`). */
export const JOB_QUEUE_DEFAULTS: JobQueueSettings = { ackWaitMs: 30_000, maxAttempts: 3 };

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

/** The durable name shared by every worker of a kind. */
export function workerDurable(kind: string): string {
  return `scan-workers-${kind}`;
}

/** The durable consumer shared by every worker of a kind (JetStream's queue group). */
export function workerConsumer(kind: string, settings: JobQueueSettings): ConsumerDefinition {
  return durableConsumer({
    durable: workerDurable(kind),
    stream: SCAN_JOBS_STREAM,
    filterSubject: jobSubject(kind),
    maxDeliver: settings.maxAttempts,
    ackWaitMs: settings.ackWaitMs,
  });
}
