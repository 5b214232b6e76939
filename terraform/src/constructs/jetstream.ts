import {
  millis,
  type BucketDefinition,
  type ConsumerDefinition,
  type StreamDefinition,
} from '@vigil/topology';
import type { Construct } from '../cdk';
import { HandWrittenProvider, HandWrittenResource } from './typed-resource';

/** The nats-io/jetstream provider: where JetStream is and who administers it. */
export class JetStreamProvider extends HandWrittenProvider {
  constructor(
    scope: Construct,
    id: string,
    config: { readonly servers: string; readonly credentials: string },
  ) {
    super(
      scope,
      id,
      { type: 'jetstream', source: 'nats-io/jetstream', version: '~> 0.2' },
      { servers: config.servers, credentials: config.credentials },
    );
  }
}

/** Labels every Vigil resource carries (JetStream keeps them as stream and consumer metadata). */
export interface Ownership {
  /** The team whose stack manages the resource. */
  readonly team: string;
  readonly environment: string;
  /** The team whose product the resource serves, when another team's stack manages it. */
  readonly servesTeam?: string;
}

function labels(owner: Ownership): Record<string, string> {
  return {
    team: owner.team,
    environment: owner.environment,
    ...(owner.servesTeam ? { 'serves-team': owner.servesTeam } : {}),
  };
}

/** `jetstream_stream` attributes, as the provider's schema names them (durations in seconds). */
export interface JetStreamStreamAttributes extends Readonly<Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly subjects: readonly string[];
  readonly storage: string;
  readonly retention: string;
  readonly discard: string;
  readonly max_age: number;
  readonly max_bytes: number;
  readonly max_msg_size: number;
  readonly duplicate_window: number;
  readonly replicas: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A stream, from its topology definition. */
export class JetStreamStream extends HandWrittenResource<JetStreamStreamAttributes> {
  constructor(
    scope: Construct,
    provider: JetStreamProvider,
    definition: StreamDefinition,
    owner: Ownership,
  ) {
    super(scope, `stream-${definition.name}`, 'jetstream_stream', provider, {
      name: definition.name,
      description: definition.description,
      subjects: definition.subjects,
      storage: definition.storage,
      retention: definition.retention,
      discard: definition.discard,
      max_age: seconds(definition.max_age, `stream ${definition.name} max_age`),
      max_bytes: definition.max_bytes,
      max_msg_size: definition.max_msg_size,
      duplicate_window: seconds(
        definition.duplicate_window,
        `stream ${definition.name} duplicate_window`,
      ),
      replicas: definition.num_replicas,
      metadata: labels(owner),
    });
  }
}

/** `jetstream_consumer` attributes (a durable pull consumer; durations in seconds). */
export interface JetStreamConsumerAttributes extends Readonly<Record<string, unknown>> {
  readonly stream_id: string;
  readonly durable_name: string;
  readonly deliver_all: boolean;
  readonly filter_subject: string;
  readonly ack_policy: string;
  readonly ack_wait: number;
  readonly max_delivery: number;
  readonly max_ack_pending: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A durable consumer, from its topology definition. */
export class JetStreamConsumer extends HandWrittenResource<JetStreamConsumerAttributes> {
  constructor(
    scope: Construct,
    provider: JetStreamProvider,
    { stream, config }: ConsumerDefinition,
    owner: Ownership,
  ) {
    super(scope, `consumer-${stream}-${config.durable_name}`, 'jetstream_consumer', provider, {
      stream_id: stream,
      durable_name: config.durable_name,
      deliver_all: config.deliver_policy === 'all',
      filter_subject: config.filter_subject,
      ack_policy: config.ack_policy,
      ack_wait: seconds(config.ack_wait, `consumer ${stream}/${config.durable_name} ack_wait`),
      max_delivery: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
      metadata: labels(owner),
    });
  }
}

/** `jetstream_kv_bucket` attributes (ttl in seconds; the provider keeps no metadata for buckets). */
export interface JetStreamKvBucketAttributes extends Readonly<Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly history: number;
  readonly ttl?: number;
  readonly replicas: number;
}

/** A key-value bucket, from its topology definition. */
export class JetStreamKvBucket extends HandWrittenResource<JetStreamKvBucketAttributes> {
  constructor(scope: Construct, provider: JetStreamProvider, definition: BucketDefinition) {
    super(scope, `bucket-${definition.bucket}`, 'jetstream_kv_bucket', provider, {
      name: definition.bucket,
      description: definition.description,
      history: definition.history,
      ...(definition.ttlMs > 0
        ? { ttl: wholeSeconds(definition.ttlMs, `bucket ${definition.bucket} ttl`) }
        : {}),
      replicas: definition.replicas,
    });
  }
}

/** A JetStream duration (ns) in the whole seconds the provider declares. */
function seconds(ns: number, what: string): number {
  return wholeSeconds(millis(ns), what);
}

/** Milliseconds as whole seconds; anything finer is refused, as the provider cannot take it. */
function wholeSeconds(ms: number, what: string): number {
  if (!Number.isInteger(ms / 1_000)) {
    throw new Error(`${what} is ${ms} ms; Terraform's JetStream provider takes whole seconds`);
  }
  return ms / 1_000;
}
