import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
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

/**
 * Publishes to JetStream and resolves only once the stream has stored the message (its ack).
 * Failures are classified: {@link BusUnavailableError} (retry later) or {@link StreamFullError}
 * (slow down); anything else is a bug and is rethrown as is.
 */
export class SignalPublisher {
  private readonly js: JetStreamClient;
  private readonly connection: ConnectionState;

  constructor(nc: NatsConnection, options: { readonly ackTimeoutMs?: number } = {}) {
    this.js = jetstream(nc, { timeout: options.ackTimeoutMs ?? 5_000 });
    this.connection = trackConnection(nc);
  }

  /** Stores one message; see the class comment for the errors. */
  async publish(message: OutgoingMessage): Promise<PublishReceipt> {
    if (!this.connection.connected()) {
      throw new BusUnavailableError('the bus is unavailable: not connected to NATS (reconnecting)');
    }
    const hdrs = natsHeaders();
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      hdrs.set(name, value);
    }
    try {
      const ack = await this.js.publish(message.subject, message.payload, {
        msgID: message.msgId,
        headers: hdrs,
      });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      throw classifyPublishError(error);
    }
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
