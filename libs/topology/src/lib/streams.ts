import { nanos, type StreamDefinition } from './jetstream-definitions';
import {
  DEADLETTER_STREAM,
  DETECTION_QUEUE,
  REPLAY_STREAM,
  SCAN_EVENTS_STREAM,
  SCAN_JOBS_STREAM,
  SIGNALS_STREAM,
} from './names';
import { replicasFor, type StreamReplicas } from './replicas';

/** Retention limits of a stream, from configuration. */
export interface StreamLimits {
  /** Messages older than this are removed (ms); 0 keeps them until a size limit. */
  readonly maxAgeMs: number;
  /** Total size limit (bytes); at the limit new messages are refused, old ones never dropped. */
  readonly maxBytes: number;
  /** Largest accepted message (bytes). */
  readonly maxMessageBytes: number;
  /** Copies of each message in a JetStream cluster (`VIGIL_STREAM_REPLICAS[_<STREAM>]`); default 1. */
  readonly replicas?: StreamReplicas;
}

/** Settings of the SIGNALS stream. */
export interface SignalsStreamOptions extends StreamLimits {
  /** How long a message id is remembered for deduplication (ms). */
  readonly duplicateWindowMs: number;
}

/** Ingestion's defaults for the SIGNALS stream (`VIGIL_SIGNALS_*` in docs/deploy.md). */
export const SIGNALS_STREAM_DEFAULTS: SignalsStreamOptions = {
  maxAgeMs: 7 * 24 * 3_600_000,
  maxBytes: 10 * 1024 ** 3,
  duplicateWindowMs: 10 * 60_000,
  maxMessageBytes: 1024 ** 2,
};

const DAY_MS = 24 * 3_600_000;

/** The SIGNALS stream: `signals.>`, file storage, deduplication window, refuse-new when full. */
export function signalsStream(options: SignalsStreamOptions): StreamDefinition {
  return {
    name: SIGNALS_STREAM,
    description: 'Every accepted Vigil signal (subject signals.<tenant>.<type>)',
    subjects: ['signals.>'],
    storage: 'file',
    retention: 'limits',
    // Refusing new messages when full (ingestion answers 429) loses nothing; dropping old
    // ones would silently lose signals that a slow consumer has not read yet. What every
    // consumer has acknowledged is removed by ingestion's StreamCompactor, so only a real lag
    // fills the stream (ADR 0014).
    discard: 'new',
    duplicate_window: nanos(options.duplicateWindowMs),
    max_age: nanos(options.maxAgeMs),
    max_bytes: options.maxBytes,
    max_msg_size: options.maxMessageBytes,
    num_replicas: replicasFor(SIGNALS_STREAM, options.replicas),
  };
}

/** The DEADLETTER stream: `deadletter.<consumer>.<original subject>`, kept 30 days. */
export function deadLetterStream(options: StreamLimits): StreamDefinition {
  return {
    name: DEADLETTER_STREAM,
    description: 'Messages a Vigil consumer gave up on, with the reason in headers',
    subjects: ['deadletter.>'],
    storage: 'file',
    retention: 'limits',
    discard: 'new',
    max_age: nanos(30 * DAY_MS),
    max_bytes: Math.max(64 * 1024 * 1024, Math.floor(options.maxBytes / 10)),
    max_msg_size: options.maxMessageBytes + 4096,
    duplicate_window: nanos(2 * 60 * 1000),
    num_replicas: replicasFor(DEADLETTER_STREAM, options.replicas),
  };
}

/** The REPLAY stream: `replay.<product>.<tenant>.<type>`, kept 7 days (a replay is re-run from the archive). */
export function replayStream(options: StreamLimits): StreamDefinition {
  return {
    name: REPLAY_STREAM,
    description:
      'Archived Vigil signals re-published for one product (subject replay.<product>.<tenant>.<type>)',
    subjects: ['replay.>'],
    storage: 'file',
    retention: 'limits',
    discard: 'new',
    max_age: nanos(7 * DAY_MS),
    max_bytes: Math.max(64 * 1024 * 1024, Math.floor(options.maxBytes / 4)),
    max_msg_size: options.maxMessageBytes,
    duplicate_window: nanos(2 * 60 * 1000),
    num_replicas: replicasFor(REPLAY_STREAM, options.replicas),
  };
}

/** The SCANJOBS stream: a job stays until a worker acknowledges it (work-queue retention). */
export function scanJobsStream(replicas: StreamReplicas | undefined): StreamDefinition {
  return {
    name: SCAN_JOBS_STREAM,
    description: 'Scan jobs waiting for a worker (subject scans.jobs.<kind>)',
    subjects: ['scans.jobs.>'],
    storage: 'file',
    retention: 'workqueue',
    discard: 'new',
    duplicate_window: nanos(10 * 60_000),
    max_age: 0,
    max_bytes: 256 * 1024 * 1024,
    max_msg_size: 64 * 1024,
    num_replicas: replicasFor(SCAN_JOBS_STREAM, replicas),
  };
}

/** The SCANEVENTS stream: workers' reports for the scans service, kept 7 days. */
export function scanEventsStream(replicas: StreamReplicas | undefined): StreamDefinition {
  return {
    name: SCAN_EVENTS_STREAM,
    description: 'What scanner workers report about jobs (subject scans.events.<tenant>)',
    subjects: ['scans.events.>'],
    storage: 'file',
    retention: 'limits',
    discard: 'new',
    duplicate_window: nanos(10 * 60_000),
    max_age: nanos(7 * DAY_MS),
    max_bytes: 256 * 1024 * 1024,
    max_msg_size: 1024 * 1024,
    num_replicas: replicasFor(SCAN_EVENTS_STREAM, replicas),
  };
}

/** Settings of the playbooks detection queue. */
export interface DetectionQueueOptions {
  readonly partitions: number;
  /** Bytes queued at most; when full the router waits (signals stay on SIGNALS). */
  readonly maxBytes: number;
  readonly replicas?: StreamReplicas;
}

/** Playbooks' defaults (`VIGIL_PLAYBOOKS_PARTITIONS`, `VIGIL_PLAYBOOKS_QUEUE_MAX_BYTES`). */
export const DETECTION_QUEUE_DEFAULTS: DetectionQueueOptions = {
  partitions: 8,
  maxBytes: 1024 ** 3,
};

/**
 * The PLAYBOOKS queue: a work-queue stream (a message is gone once its partition acknowledged
 * it, so it never grows beyond the lag), refusing new messages when full rather than dropping
 * queued ones. Its description records the partition count, which the service checks before
 * changing it; its messages are SIGNALS messages plus routing headers.
 */
export function detectionQueueStream(
  options: DetectionQueueOptions,
  signalsMaxMessageBytes: number,
): StreamDefinition {
  return {
    name: DETECTION_QUEUE,
    description: `Signals queued for playbooks detection, by partition (${options.partitions} partitions)`,
    subjects: ['playbooks.>'],
    storage: 'file',
    retention: 'workqueue',
    discard: 'new',
    max_age: 0,
    max_bytes: options.maxBytes,
    max_msg_size: signalsMaxMessageBytes > 0 ? signalsMaxMessageBytes + 4_096 : -1,
    // Router redeliveries (a batch retried after a partial publish) are dropped by message id.
    duplicate_window: nanos(2 * 60 * 1_000),
    num_replicas: replicasFor(DETECTION_QUEUE, options.replicas),
  };
}
