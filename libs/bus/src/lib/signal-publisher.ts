import type { NatsConnection } from '@nats-io/nats-core';
import { AckPipeline } from './ack-pipeline';
import { trackConnection, type ConnectionState } from './bus-connection';
import { BusUnavailableError, StreamFullError } from './bus-errors';

/** One message to store in a stream. */
export interface OutgoingMessage {
  readonly subject: string;
  /** Deduplication key: a second message with the same id within the stream's window is not stored again. */
  readonly msgId: string;
  readonly payload: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The stream's answer to a publish. */
export interface PublishReceipt {
  /** Stream sequence of the stored message (of the first copy, for a duplicate). */
  readonly seq: number;
  /** True when the stream already held a message with this id. */
  readonly duplicate: boolean;
}

/** How long to wait for acks, and who hears of each publish's latency. */
export interface SignalPublisherOptions {
  /** How long to wait for the stream's ack (default 5 s). */
  readonly ackTimeoutMs?: number;
  /** Called with each publish's time to its ack or failure, in seconds (e.g. a histogram's `observe`). */
  readonly onSettled?: (seconds: number) => void;
}

/**
 * Publishes to JetStream and resolves only once the stream has stored the message (its ack).
 * Failures are classified: {@link BusUnavailableError} (retry later) or {@link StreamFullError}
 * (slow down); anything else is a bug and is rethrown as is.
 */
export class SignalPublisher {
  private readonly pipeline: AckPipeline;
  private readonly connection: ConnectionState;

  constructor(nc: NatsConnection, options: SignalPublisherOptions = {}) {
    this.pipeline = new AckPipeline(nc, {
      ackTimeoutMs: options.ackTimeoutMs ?? 5_000,
      mapError: classifyPublishError,
      onSettled: options.onSettled,
    });
    // Acks of messages sent before a disconnect may never come: fail them now, not at the timeout.
    this.connection = trackConnection(nc, () =>
      this.pipeline.failAll('the NATS connection was lost before the stream acknowledged'),
    );
  }

  /** Stores one message; see the class comment for the errors. */
  publish(message: OutgoingMessage): Promise<PublishReceipt> {
    if (!this.connection.connected()) {
      return Promise.reject(
        new BusUnavailableError('the bus is unavailable: not connected to NATS (reconnecting)'),
      );
    }
    // Failures arrive classified (the pipeline maps them): no extra promise step per message.
    return this.pipeline.publish(
      message.subject,
      message.payload,
      message.msgId,
      message.headers ?? {},
    );
  }
}

const STREAM_FULL =
  /maximum (bytes|messages)( per subject)? exceeded|insufficient (storage )?resources|no space/i;
const UNAVAILABLE = /timeout|no responders|closed|disconnect|connection|reconnect|503|draining/i;

/** Maps a client error to the platform's retryable errors where it is one. */
export function classifyPublishError(error: unknown): Error {
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? String(error)}`;
  if (STREAM_FULL.test(text)) {
    return new StreamFullError(`the signals stream is full: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (UNAVAILABLE.test(text)) {
    return new BusUnavailableError(`the bus is unavailable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
