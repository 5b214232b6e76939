import {
  jetstreamManager,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/nats-core';
import { DEADLETTER_STREAM, REPLAY_STREAM, SIGNALS_STREAM } from './subjects';

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

/**
 * Replicas of every stream, and overrides by stream (keyed by the name upper-cased with other
 * characters as `_`, as in `VIGIL_STREAM_REPLICAS_<STREAM>`); a plain number applies to all.
 */
export type StreamReplicas =
  number | { readonly default: number; readonly byStream?: Readonly<Record<string, number>> };

/** The replicas configured for one stream. */
export function replicasFor(stream: string, replicas: StreamReplicas | undefined): number {
  if (replicas === undefined || typeof replicas === 'number') {
    return replicas ?? 1;
  }
  return replicas.byStream?.[envName(stream)] ?? replicas.default;
}

function envName(stream: string): string {
  return stream.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** What provisioning did to a stream. */
export type ProvisionOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates the stream, or updates the settings that may change; never deletes a stream or its
 * data, and never lowers the replicas an operator raised (it keeps theirs and calls `warn`).
 */
export async function ensureStream(
  jsm: JetStreamManager,
  wanted: StreamConfigInput,
  warn: (message: string) => void = () => undefined,
): Promise<ProvisionOutcome> {
  const existing = await findStream(jsm, wanted.name);
  const config = existing ? keepRaisedReplicas(existing, wanted, warn) : wanted;
  if (!existing) {
    const created = await jsm.streams.add(config).then(
      () => true,
      async (error: unknown) => {
        // Several instances starting together: another one created it first.
        if (await findStream(jsm, config.name)) {
          return false;
        }
        throw error;
      },
    );
    if (created) {
      return 'created';
    }
    return ensureStream(jsm, config, warn);
  }
  if (existing.config.storage !== config.storage) {
    throw new Error(
      `stream ${config.name} uses ${existing.config.storage} storage but ${config.storage} is configured; ` +
        'storage cannot change in place — migrate the stream by hand',
    );
  }
  if (!differs(existing, config)) {
    return 'unchanged';
  }
  await jsm.streams.update(config.name, config);
  return 'updated';
}

/** The streams of the platform, provisioned at start-up by every service that uses them. */
export async function ensureSignalStreams(
  connection: JetStreamManager | NatsConnection,
  options: SignalsStreamOptions,
  warn?: (message: string) => void,
): Promise<Record<string, ProvisionOutcome>> {
  const jsm = 'streams' in connection ? connection : await jetstreamManager(connection);
  return {
    [SIGNALS_STREAM]: await ensureStream(jsm, signalsStreamConfig(options), warn),
    [DEADLETTER_STREAM]: await ensureStream(jsm, deadLetterStreamConfig(options), warn),
    [REPLAY_STREAM]: await ensureStream(jsm, replayStreamConfig(options), warn),
  };
}

/** A stream's settings as Vigil provisions them (name, storage and subjects always given). */
export type StreamConfigInput = Partial<StreamConfig> &
  Pick<StreamConfig, 'name' | 'subjects' | 'storage'>;

/** The SIGNALS stream: `signals.>`, file storage, deduplication window, refuse-new when full. */
export function signalsStreamConfig(options: SignalsStreamOptions): StreamConfigInput {
  return {
    name: SIGNALS_STREAM,
    description: 'Every accepted Vigil signal (subject signals.<tenant>.<type>)',
    subjects: ['signals.>'],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    // Refusing new messages when full (ingestion answers 429) loses nothing; dropping old
    // ones would silently lose signals that a slow consumer has not read yet. What every
    // consumer has acknowledged is removed by ingestion's StreamCompactor, so only a real lag
    // fills the stream (ADR 0014).
    discard: DiscardPolicy.New,
    duplicate_window: nanos(options.duplicateWindowMs),
    max_age: nanos(options.maxAgeMs),
    max_bytes: options.maxBytes,
    max_msg_size: options.maxMessageBytes,
    num_replicas: replicasFor(SIGNALS_STREAM, options.replicas),
  };
}

/** The DEADLETTER stream: `deadletter.<consumer>.<original subject>`, kept 30 days. */
export function deadLetterStreamConfig(options: StreamLimits): StreamConfigInput {
  return {
    name: DEADLETTER_STREAM,
    description: 'Messages a Vigil consumer gave up on, with the reason in headers',
    subjects: ['deadletter.>'],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    max_age: nanos(30 * 24 * 3600 * 1000),
    max_bytes: Math.max(64 * 1024 * 1024, Math.floor(options.maxBytes / 10)),
    max_msg_size: options.maxMessageBytes + 4096,
    duplicate_window: nanos(2 * 60 * 1000),
    num_replicas: replicasFor(DEADLETTER_STREAM, options.replicas),
  };
}

/** The REPLAY stream: `replay.<product>.<tenant>.<type>`, kept 7 days (a replay is re-run from the archive). */
export function replayStreamConfig(options: StreamLimits): StreamConfigInput {
  return {
    name: REPLAY_STREAM,
    description:
      'Archived Vigil signals re-published for one product (subject replay.<product>.<tenant>.<type>)',
    subjects: ['replay.>'],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    max_age: nanos(7 * 24 * 3600 * 1000),
    max_bytes: Math.max(64 * 1024 * 1024, Math.floor(options.maxBytes / 4)),
    max_msg_size: options.maxMessageBytes,
    duplicate_window: nanos(2 * 60 * 1000),
    num_replicas: replicasFor(REPLAY_STREAM, options.replicas),
  };
}

/** True when the stream exists on the server. */
export async function streamExists(nc: NatsConnection, name: string): Promise<boolean> {
  return (await findStream(await jetstreamManager(nc), name)) !== undefined;
}

/**
 * Resolves once the stream exists. Products wait for the stream ingestion provisions rather than
 * configure it differently; `onWait` is called on the first check and every ten seconds after.
 */
export async function waitForStream(
  nc: NatsConnection,
  name: string,
  onWait: () => void,
  pollMs = 1_000,
): Promise<void> {
  for (let attempt = 0; !(await streamExists(nc, name)); attempt++) {
    if (attempt % 10 === 0) {
      onWait();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if ((error as { code?: number }).code === 10059 || /stream not found/i.test(String(error))) {
      return undefined;
    }
    throw error;
  }
}

function keepRaisedReplicas(
  existing: StreamInfo,
  wanted: StreamConfigInput,
  warn: (message: string) => void,
): StreamConfigInput {
  const theirs = existing.config.num_replicas ?? 1;
  const ours = wanted.num_replicas ?? 1;
  if (theirs <= ours) {
    return wanted;
  }
  warn(
    `stream ${wanted.name} has ${theirs} replicas, more than the ${ours} configured (VIGIL_STREAM_REPLICAS_${envName(wanted.name)} or VIGIL_STREAM_REPLICAS): kept at ${theirs}`,
  );
  return { ...wanted, num_replicas: theirs };
}

function differs(existing: StreamInfo, wanted: StreamConfigInput): boolean {
  const current = existing.config as unknown as Record<string, unknown>;
  return Object.entries(wanted).some(
    ([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value),
  );
}
