import type { SignalMessage } from '@vigil/signals';

/** One record ready for the bus. */
export type SinkMessage = SignalMessage;

/**
 * Where accepted signals go (the JetStream SIGNALS stream in production). `store` resolves only
 * once the record is durable, and reports whether the stream already held that message id.
 */
export interface SignalSink {
  store(message: SinkMessage): Promise<{ readonly duplicate: boolean }>;
}

/** Some records of a batch could not be stored; nothing unstored was reported accepted. */
export class IngestIncompleteError extends Error {
  constructor(
    /** The first storage failure (e.g. the bus is unavailable, the stream is full). */
    override readonly cause: unknown,
    /** How many records of the batch were stored before or despite the failure (a retry deduplicates them). */
    readonly stored: number,
  ) {
    super(
      `the batch could not be stored completely (${stored} stored): ${(cause as Error)?.message ?? String(cause)}`,
    );
    this.name = 'IngestIncompleteError';
  }
}
