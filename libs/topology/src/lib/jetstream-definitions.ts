/**
 * The JetStream resources Vigil declares, in the shape of the JetStream API itself (field names
 * and units as the server reports them: durations in nanoseconds). Both the run-time provisioner
 * (`@vigil/bus`) and the Terraform stacks (`terraform/`) read these objects, so what is declared
 * and what runs cannot differ.
 */

/** A stream as `$JS.API.STREAM.CREATE` takes it. */
export interface StreamDefinition {
  readonly name: string;
  readonly description: string;
  readonly subjects: readonly string[];
  readonly storage: 'file' | 'memory';
  readonly retention: 'limits' | 'workqueue' | 'interest';
  readonly discard: 'new' | 'old';
  /** Deduplication window (ns). */
  readonly duplicate_window: number;
  /** Age limit (ns); 0 keeps messages until a size limit. */
  readonly max_age: number;
  /** Size limit (bytes); -1 for none. */
  readonly max_bytes: number;
  /** Largest message (bytes); -1 for none. */
  readonly max_msg_size: number;
  readonly num_replicas: number;
}

/** The settings of a durable pull consumer as `$JS.API.CONSUMER.CREATE` takes them. */
export interface ConsumerConfigDefinition {
  readonly durable_name: string;
  readonly ack_policy: 'explicit';
  readonly deliver_policy: 'all';
  readonly filter_subject: string;
  /** Deliveries before a message is given up; -1 for never. */
  readonly max_deliver: number;
  /** Time a consumer has to acknowledge (ns). */
  readonly ack_wait: number;
  readonly max_ack_pending: number;
}

/** A durable consumer and the stream it reads. */
export interface ConsumerDefinition {
  readonly stream: string;
  readonly config: ConsumerConfigDefinition;
}

/** A key-value bucket (the stream `KV_<bucket>` underneath). */
export interface BucketDefinition {
  readonly bucket: string;
  readonly description: string;
  /** Values kept per key. */
  readonly history: number;
  /** Lifetime of a value (ms); 0 for forever. */
  readonly ttlMs: number;
  readonly replicas: number;
}

/** Nanoseconds in a millisecond: the JetStream API counts durations in nanoseconds. */
const NS_PER_MS = 1_000_000;

/** A duration in milliseconds as the JetStream API writes it (ns). */
export function nanos(ms: number): number {
  return ms * NS_PER_MS;
}

/** A JetStream duration (ns) in milliseconds. */
export function millis(ns: number): number {
  return ns / NS_PER_MS;
}
