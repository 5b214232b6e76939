import type { ValidationIssue } from '@vigil/signals';

/** What to do when the in-memory queue is full. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'throw';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Base URL of Vigil, e.g. `https://vigil.example.com`. */
  readonly endpoint: string;
  /** An API key with the `signals:write` scope. */
  readonly apiKey: string;
  /** Default `source` of envelopes (CloudEvents), e.g. `agent://checkout-api/pod-7`. */
  readonly source: string;
  /** Default `subject` (the application), used when `publish` does not give one. */
  readonly subject?: string;
  /** Send a batch when it holds this many signals; default 100. */
  readonly maxBatchSize?: number;
  /** …or this many bytes of JSON; default 512 KiB. */
  readonly maxBatchBytes?: number;
  /** …or when its oldest signal has waited this long (ms); default 1 000. */
  readonly flushIntervalMs?: number;
  /** Batches in flight at once; default 2. */
  readonly concurrency?: number;
  /** Attempts per batch before it is spooled (or dropped without a spool); default 6. */
  readonly maxAttempts?: number;
  /** First retry delay (ms), doubled each attempt with jitter, capped at 30 s; default 250. */
  readonly retryBaseMs?: number;
  /** Signals held in memory at most; default 10 000. */
  readonly maxQueued?: number;
  /** Default `drop-oldest`: the newest security signals are usually the most useful. */
  readonly overflow?: OverflowPolicy;
  /** A folder where undeliverable batches are kept across restarts (and sent when possible). */
  readonly spoolDir?: string;
  /** Compress request bodies; default true. */
  readonly gzip?: boolean;
  /** Signals the platform refused as invalid (never retried). */
  readonly onRejected?: (rejected: RejectedSignal) => void;
  /** Delivery problems: retries exhausted, credential refused, spool errors. */
  readonly onError?: (error: Error) => void;
  /** Base URL of the responses API when it is not `endpoint` (distributed mode: the playbooks service). */
  readonly responsesEndpoint?: string;
  /** For tests and custom transports; default: HTTP with `fetch`. */
  readonly transport?: Transport;
}

/** One signal the platform refused, with the reasons. */
export interface RejectedSignal {
  readonly id: string | undefined;
  readonly envelope: Readonly<Record<string, unknown>>;
  readonly errors: readonly ValidationIssue[];
}

/** Counters the host program can read at any time. */
export interface ClientCounters {
  /** Signals waiting in memory. */
  readonly queued: number;
  /** Signals the platform stored (or already had: duplicates of a retried batch). */
  readonly sent: number;
  /** Of `sent`, signals the platform already had (a retried or resent batch), not stored again. */
  readonly duplicates: number;
  /** Signals the platform refused as invalid. */
  readonly rejected: number;
  /** Signals lost: queue overflow, or retries exhausted without a spool. */
  readonly dropped: number;
  /** Signals written to the spool and not yet delivered. */
  readonly spooled: number;
}

/** Per-call options of `publish`. */
export interface PublishOptions {
  /** The application the signal is about; default the client's `subject`. */
  readonly subject?: string;
  /** Event time; default now. */
  readonly time?: Date;
  /** Envelope id; default a fresh ULID (sortable, unique). */
  readonly id?: string;
  /** CloudEvents extension attributes (lowercase names, primitive values), e.g. `traceparent`. */
  readonly extensions?: Readonly<Record<string, string | number | boolean>>;
}

/** What a transport answers for one batch. */
export interface TransportResponse {
  readonly status: number;
  /** `Retry-After`, in milliseconds, when the platform sent one. */
  readonly retryAfterMs?: number;
  readonly body: unknown;
}

/** Sends one batch of envelopes (JSON array text). */
export interface Transport {
  send(body: string): Promise<TransportResponse>;
}
